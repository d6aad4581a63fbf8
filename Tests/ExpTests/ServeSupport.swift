import Foundation
import Testing
import TestSupport

/// A running `exp serve` on a free port (`--port 0`), stopped when released.
final class ServeProcess {
    let process = Process()
    let port: Int
    let output: URL
    let errors: URL

    /// Starts `exp serve --db database --port 0` (plus `arguments`) in `directory` and waits for
    /// the URL it prints.
    init(database: String, in directory: URL, arguments: [String] = []) throws {
        output = directory.appendingPathComponent("serve-\(UUID().uuidString).out")
        errors = directory.appendingPathComponent("serve-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = try expExecutable()
        process.arguments = ["serve", "--db", database, "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                found = Int(text[range].dropFirst("http://127.0.0.1:".count).dropLast())
            } else {
                usleep(50_000)
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw ServeStartError(message: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
        }
        port = found
    }

    var stdout: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the exit status.
    func stop(_ signal: Int32 = SIGINT) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }

    /// A request with the `Host` header a browser would send.
    func get(_ target: String, method: String = "GET", host: String? = nil) throws -> HTTPReply {
        try rawHTTP(port: port, method: method, target: target, host: host ?? "127.0.0.1:\(port)")
    }

    /// The JSON body of a 200 answer to `target`.
    func json(_ target: String) throws -> Any {
        let reply = try get(target)
        try #require(reply.status == 200, "\(target): \(reply.status) \(reply.text)")
        return try JSONSerialization.jsonObject(with: reply.body)
    }
}

struct ServeStartError: Error { var message: String }

/// The nice value of each thread of process `pid`, by "thread id name" (`/proc/PID/task/*/stat`,
/// the 19th field, counted after the name in parentheses, which may hold spaces).
func threadNiceness(_ pid: Int32) -> [String: Int] {
    let tasks = "/proc/\(pid)/task"
    var niceness: [String: Int] = [:]
    for tid in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
        guard let stat = try? String(contentsOfFile: "\(tasks)/\(tid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let name = stat[stat.index(after: stat.firstIndex(of: "(")!)..<close]
        if fields.count > 16, let nice = Int(fields[16]) { niceness["\(tid) \(name)"] = nice }
    }
    return niceness
}

/// An HTTP answer: status, headers (names lowercased) and body.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The `error` message of a JSON error answer.
    var error: String? { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["error"] as? String }
}

/// A TCP socket connected to `port` on 127.0.0.1, whose reads give up after `timeout` seconds.
func connectedSocket(port: Int, timeout seconds: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
    return fd
}

/// One HTTP/1.1 request over a plain socket, sent exactly as given (no normalisation of the
/// target, any `Host`), read to the end (`Connection: close`).
func rawHTTP(port: Int, method: String = "GET", target: String, host: String?, extraHeaders: [String] = []) throws -> HTTPReply {
    let fd = try connectedSocket(port: port, timeout: 30)
    defer { close(fd) }
    var request = "\(method) \(target) HTTP/1.1\r\n"
    if let host { request += "Host: \(host)\r\n" }
    for header in extraHeaders { request += header + "\r\n" }
    request += "Connection: close\r\n\r\n"
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var received = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        received.append(contentsOf: buffer[0..<n])
    }
    guard let split = received.range(of: Data("\r\n\r\n".utf8)) else { throw POSIXError(.EBADMSG) }
    let head = String(decoding: received[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
    let status = Int(head[0].split(separator: " ")[1]) ?? 0
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var body = Data(received[split.upperBound...])
    if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
    return HTTPReply(status: status, headers: headers, body: body)
}

/// The payload of a chunked body.
func dechunk(_ data: Data) -> Data {
    var out = Data(), rest = data[...]
    while let line = rest.range(of: Data("\r\n".utf8)) {
        let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
        if size == 0 { break }
        let start = line.upperBound
        out.append(rest[start..<min(start + size, rest.endIndex)])
        rest = rest[min(start + size + 2, rest.endIndex)...]
    }
    return out
}
