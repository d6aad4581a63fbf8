import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` into the target that uses this plugin, declaring
/// `let buildCommit: String?`: the git commit the package is built from (`git rev-parse HEAD`,
/// 40 hexadecimal digits), or `nil` when the package directory is not the top of a git
/// checkout (a source archive, even one unpacked inside another repository) or git is missing.
///
/// A prebuild command, so it runs before every build and sees new commits; it runs `/bin/sh`
/// (a prebuild command cannot run a tool built from the package) and rewrites the file only
/// when its text changes, so an unchanged commit recompiles nothing.
@main
struct RecordBuildCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildCommit")
        return [.prebuildCommand(
            displayName: "Recording the source commit",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", Self.script, "record-build-commit", context.package.directoryURL.path, output.path],
            outputFilesDirectory: output
        )]
    }

    /// `$1`: the package directory; `$2`: the output directory.
    static let script = #"""
        set -u
        commit=""
        top=$(cd "$1" 2>/dev/null && git rev-parse --show-toplevel 2>/dev/null) || top=""
        if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$1" && pwd -P)" ]; then
            commit=$(git -C "$1" rev-parse --verify --quiet HEAD 2>/dev/null) || commit=""
        fi
        case "$commit" in
            [0-9a-f]*) [ ${#commit} -eq 40 ] || commit="" ;;
            *) commit="" ;;
        esac
        if [ -n "$commit" ]; then value="\"$commit\""; else value="nil"; fi
        text="/// The git commit the binary was built from; nil outside a git checkout (written by the
        /// RecordBuildCommit plugin at build time).
        let buildCommit: String? = $value"
        mkdir -p "$2"
        file="$2/BuildCommit.swift"
        if [ ! -f "$file" ] || [ "$(cat "$file")" != "$text" ]; then
            printf '%s\n' "$text" > "$file.tmp" && mv "$file.tmp" "$file"
        fi
        """#
}
