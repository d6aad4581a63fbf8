import Foundation

/// What one program run printed and returned.
public struct ProgramResult: Sendable {
    /// Its exit status (or the signal number, when a signal ended it).
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `executable` with `arguments` to its end, with no standard input, in `directory` (the
/// current one when nil) and `environment` (this process's when nil).
///
/// Output goes to files rather than pipes, so a child that fills a pipe can never block.
/// - Throws: when the program cannot be started.
public func runProgram(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                       environment: [String: String]? = nil) throws -> ProgramResult {
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    _ = FileManager.default.createFile(atPath: scratch.path("out"), contents: nil)
    _ = FileManager.default.createFile(atPath: scratch.path("err"), contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path("out")))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path("err")))
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProgramResult(status: process.terminationStatus,
                         stdout: try String(contentsOfFile: scratch.path("out"), encoding: .utf8),
                         stderr: try String(contentsOfFile: scratch.path("err"), encoding: .utf8))
}

/// The path of a program on `PATH` (or `program` itself when it is a path to an executable), if any.
public func which(_ program: String) -> String? {
    if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(folder)/\(program)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
