import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` into the target that uses this plugin, declaring
/// `let buildCommit: String?`: the git commit the package is built from (`git rev-parse HEAD`,
/// 40 hexadecimal digits), or `nil` when the package directory is not the top of a git
/// checkout (a source archive, even one unpacked inside another repository) or git is missing.
///
/// A prebuild command, so it runs before every build and sees new commits; it runs
/// `Plugins/record-build-commit.sh` with `/bin/sh` (a prebuild command cannot run a tool built
/// from the package), which rewrites the file only when its text changes, so an unchanged
/// commit recompiles nothing.
@main
struct RecordBuildCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildCommit")
        let script = context.package.directoryURL.appending(path: "Plugins/record-build-commit.sh")
        return [.prebuildCommand(
            displayName: "Recording the source commit",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: [script.path, context.package.directoryURL.path, output.path],
            outputFilesDirectory: output
        )]
    }
}
