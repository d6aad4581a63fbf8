import Foundation
import Testing
import TestSupport

/// `/api/events` while a sweep runs: shared snapshots, resumed without gaps or replays.
@Suite(.serialized) struct ServeEventTests {
    @Test(.tags(.slow)) func reconnectingWithLastEventIDResumesWithoutGapsOrReplays() throws {
        let dir = try sweptIrisFolder(name: "warm", seeds: [1], grid: #"{"epochs": [2]}"#)
        let server = try ServeProcess(database: "runs.db", in: dir)
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        try #"{"name": "busy", "dataset": "\#(data)", "seeds": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "grid": {"epochs": [400], "learning_rate": [0.05, 0.1, 0.5]}}"#
            .write(to: dir.appendingPathComponent("busy.json"), atomically: true, encoding: .utf8)
        let sweep = Process()
        sweep.executableURL = try expExecutable()
        sweep.arguments = ["sweep", "busy.json", "--jobs", "1", "--quiet"]
        sweep.currentDirectoryURL = dir
        sweep.standardInput = FileHandle.nullDevice
        try sweep.run()
        defer { if sweep.isRunning { sweep.terminate() } }

        let first = try readEvents(port: server.port, count: 3)
        #expect(first.count == 3)
        #expect(zip(first, first.dropFirst()).allSatisfy { $0.id + 1 == $1.id }, "\(first.map(\.id))")
        let last = try #require(first.last?.id)
        Thread.sleep(forTimeInterval: 2.5)  // events go on while this client is away
        let resumed = try readEvents(port: server.port, lastEventID: last, count: 2)
        #expect(resumed.first?.id == last + 1, "no gap, nothing twice: \(resumed.map(\.id)) after \(last)")
        #expect(zip(resumed, resumed.dropFirst()).allSatisfy { $0.id + 1 == $1.id })
        let fresh = try readEvents(port: server.port, count: 1)
        #expect((fresh.first?.id ?? 0) > last + 1, "a new client starts from the newest snapshot")

        // One snapshot per tick, whatever the number of clients.
        let before = try #require((try server.json("/api/status") as? [String: Any])?["events"] as? [String: Int])
        let clients = (0..<20).map { _ in Thread { _ = try? readEvents(port: server.port, count: 1000, timeout: 3) } }
        clients.forEach { $0.start() }
        Thread.sleep(forTimeInterval: 3.5)
        let after = try #require((try server.json("/api/status") as? [String: Any])?["events"] as? [String: Int])
        let snapshots = (after["snapshots"] ?? 0) - (before["snapshots"] ?? 0)
        #expect((2...6).contains(snapshots), "\(snapshots) snapshots in 3.5 s with 20 clients")

        sweep.waitUntilExit()
        #expect(sweep.terminationStatus == 0)
        Thread.sleep(forTimeInterval: 1.5)
        let final = try #require(try readEvents(port: server.port, count: 1).first)
        let snapshot = try #require(try JSONSerialization.jsonObject(with: Data(final.data.utf8)) as? [String: Any])
        let busy = try #require((snapshot["sweeps"] as? [[String: Any]])?.first { $0["name"] as? String == "busy" })
        #expect((busy["status_counts"] as? [String: Int])?["finished"] == 36)
    }

    /// 100 clients polling the leaderboard and a run's pages: the feed keeps its tick, and every
    /// answer comes. (Each request used to read the database itself, so the feed's snapshot
    /// waited behind them for the connection's lock and the event streams went silent.)
    @Test(.tags(.slow)) func theFeedKeepsItsTickWhileAHundredClientsPoll() throws {
        let dir = try sweptIrisFolder(name: "busy", seeds: [1, 2, 3], grid: #"{"epochs": [20], "learning_rate": [0.05, 0.5]}"#)
        let server = try ServeProcess(database: "runs.db", in: dir)
        let done = Flag()
        let failures = Failures()
        let targets = ["/api/sweeps/busy/leaderboard", "/sweeps/busy", "/sweeps/busy/table", "/runs/1", "/api/runs/1", "/runs/1/curves", "/"]
        let group = DispatchGroup()
        for client in 0..<100 {
            group.enter()
            Thread {
                defer { group.leave() }
                var request = client
                while !done.isSet {
                    let target = targets[request % targets.count]
                    request += 1
                    guard let reply = try? server.get(target) else { failures.add("\(target): no answer"); continue }
                    if reply.status != 200 { failures.add("\(target): \(reply.status) \(reply.text)") }
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }.start()
        }
        Thread.sleep(forTimeInterval: 1)
        let before = try #require((try server.json("/api/status") as? [String: Any])?["events"] as? [String: Int])
        Thread.sleep(forTimeInterval: 6)
        let after = try #require((try server.json("/api/status") as? [String: Any])?["events"] as? [String: Int])
        done.set()
        #expect(group.wait(timeout: .now() + 60) == .success)
        let snapshots = (after["snapshots"] ?? 0) - (before["snapshots"] ?? 0)
        #expect(snapshots >= 3, "\(snapshots) snapshots in 6 s while 100 clients polled")
        #expect(failures.all.isEmpty, "\(failures.all.count) failures: \(failures.all.prefix(3))")
    }
}

/// Reads Server-Sent Events from `/api/events` until `count` events arrived or `timeout` seconds
/// passed, then disconnects.
func readEvents(port: Int, lastEventID: Int? = nil, count: Int, timeout: Double = 20) throws -> [(id: Int, data: String)] {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var wait = timeval(tv_sec: 0, tv_usec: 200_000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var request = "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
    if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
    request += "\r\n"
    _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var text = ""
    var buffer = [UInt8](repeating: 0, count: 65536)
    let deadline = Date().addingTimeInterval(timeout)
    var events: [(id: Int, data: String)] = []
    while events.count < count, Date() < deadline {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n == 0 { break }
        if n < 0 { continue }
        text += String(decoding: buffer[0..<n], as: UTF8.self)
        events = []
        var id: Int?
        // By Unicode scalars: "\r\n" (the chunks' framing) is one Character in Swift.
        for line in text.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map({ String(String.UnicodeScalarView($0)) }) {
            let trimmed = line
            if trimmed.hasPrefix("id: ") { id = Int(trimmed.dropFirst(4)) }
            if trimmed.hasPrefix("data: "), let current = id { events.append((current, String(trimmed.dropFirst(6)))); id = nil }
        }
    }
    return Array(events.prefix(count))
}

/// A running run's learning curve grows in the API while it trains, and ends complete.
@Test(.tags(.slow)) func aRunningRunsCurveGrows() throws {
    let dir = try sweptIrisFolder(name: "warm", seeds: [1], grid: #"{"epochs": [2]}"#)
    let server = try ServeProcess(database: "runs.db", in: dir)
    let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
    try #"{"name": "long", "dataset": "\#(data)", "seeds": [1], "grid": {"epochs": [9000]}}"#
        .write(to: dir.appendingPathComponent("long.json"), atomically: true, encoding: .utf8)
    let sweep = Process()
    sweep.executableURL = try expExecutable()
    sweep.arguments = ["sweep", "long.json", "--quiet"]
    sweep.currentDirectoryURL = dir
    sweep.standardInput = FileHandle.nullDevice
    sweep.standardOutput = FileHandle.nullDevice
    try sweep.run()
    defer { if sweep.isRunning { sweep.terminate() } }
    var seen: [Int] = []  // epochs stored, each time the run was seen running
    let runID = 2  // the warm sweep's run is 1
    while sweep.isRunning {
        if let reply = try? server.get("/api/runs/\(runID)"), reply.status == 200,  // 404 until the sweep stores it
           let run = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
           (run["summary"] as? [String: Any])?["status"] as? String == "running",
           let curve = run["curve"] as? [[String: Any]] {
            seen.append(curve.count)
        }
        Thread.sleep(forTimeInterval: 0.3)
    }
    #expect(sweep.terminationStatus == 0)
    let growing = Array(Set(seen.filter { $0 > 0 })).sorted()
    #expect(growing.count >= 2, "the curve grew while the run trained: \(seen)")
    #expect(growing.allSatisfy { $0 < 9000 })
    // An answer is shared for a second after it is computed (docs/serve.md, "Many clients"),
    // so the complete curve shows within a few seconds of the sweep's end, not at once.
    var points: Int?
    let deadline = Date().addingTimeInterval(5)
    repeat {
        let final = try #require(try server.json("/api/runs/\(runID)") as? [String: Any])
        points = (final["curve"] as? [Any])?.count
        if points != 9000 { Thread.sleep(forTimeInterval: 0.2) }
    } while points != 9000 && Date() < deadline
    #expect(points == 9000)
}
