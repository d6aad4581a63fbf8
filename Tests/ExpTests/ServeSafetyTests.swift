import Foundation
import Testing
import TestSupport
import Tracker

/// `exp serve`'s safety rules, each tried against the real server.
@Suite(.serialized) struct ServeSafetyTests {
    static func served() throws -> (URL, ServeProcess) {
        let dir = try sweptIrisFolder(name: "pair", seeds: [1], grid: #"{"epochs": [3], "learning_rate": [0.05, 0.5]}"#)
        return (dir, try ServeProcess(database: "runs.db", in: dir))
    }

    @Test func refusesWritesForeignHostsTraversalAndBadParameters() throws {
        let (_, server) = try Self.served()
        // Only GET (and HEAD): the server never writes.
        for method in ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
            let reply = try server.get("/api/sweeps", method: method)
            #expect(reply.status == 405, "\(method)")
            #expect(reply.headers["allow"] == "GET, HEAD")
        }
        let head = try server.get("/api/sweeps", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)

        // The Host header: the bound address or localhost, on this port; anything else is refused.
        for host in ["127.0.0.1:\(server.port)", "localhost:\(server.port)", "LOCALHOST:\(server.port)", "[::1]:\(server.port)", "localhost"] {
            #expect(try server.get("/api/sweeps", host: host).status == 200, "\(host)")
        }
        for host in ["evil.example", "evil.example:\(server.port)", "127.0.0.1.evil.example:\(server.port)", "127.0.0.1:1",
                     "10.0.0.1:\(server.port)", "localhost:\(server.port):1", ""] {
            let reply = try server.get("/api/sweeps", host: host)
            #expect(reply.status == 403, "\(host)")
            #expect(reply.error?.contains("DNS rebinding") == true)
        }
        #expect(try rawHTTP(port: server.port, target: "/api/sweeps", host: nil).status != 200)
        // Outside /api/ the refusals are pages too, with the same status and message.
        let foreignPage = try server.get("/runs/1", host: "evil.example")
        #expect(foreignPage.status == 403 && foreignPage.headers["content-type"] == "text/html; charset=utf-8")
        #expect(foreignPage.text.contains("DNS rebinding"), "\(foreignPage.text)")
        let postPage = try server.get("/", method: "POST")
        #expect(postPage.status == 405 && postPage.headers["allow"] == "GET, HEAD")
        #expect(postPage.headers["content-type"] == "text/html; charset=utf-8", "\(postPage.text)")

        // Path traversal, in any encoding.
        for target in ["/api/../api/sweeps", "/api/%2e%2e/etc/passwd", "/api/%2E%2E/x", "/api/%252e%252e/x", "/api/%25252e%25252e/x",
                       "/api/sweeps/..%2f..%2fetc", "/api/sweeps/a%2f..%2fb", "/api/%5c..%5cx", "/..", "/api/./sweeps", "/api/sweeps/%00"] {
            let reply = try server.get(target)
            #expect(reply.status == 400, "\(target)")
            // Under /api/ a problem is JSON; elsewhere it is a page a browser shows.
            if target.hasPrefix("/api/") {
                #expect(reply.error?.isEmpty == false)
            } else {
                #expect(reply.headers["content-type"] == "text/html; charset=utf-8")
                #expect(reply.text.contains("<h1>Bad request</h1>"), "\(reply.text)")
            }
        }

        // Unknown paths, sweeps and runs: 404.
        for target in ["/nope", "/api", "/api/nope", "/api/sweeps/pair/nope", "/api/runs/999999", "/api/runs/abc", "/api/runs/0",
                       "/api/runs/+1", "/api/runs/01", "/runs/01", "/api/runs/%EF%BC%91",
                       "/api/sweeps/nosuch/leaderboard", "/api/sweeps/a%2Fb/leaderboard", "/api/runs/999999/weights", "/api/compare?runs=1,999999"] {
            #expect(try server.get(target).status == 404, "\(target)")
        }
        #expect(try server.get("/api/runs/999999").error == "no run 999999 in the database")
        let page = try server.get("/runs/999999")
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("<h1>Not found</h1>") && page.text.contains("<p>no run 999999 in the database</p>"), "\(page.text)")
        #expect(try server.get("/api/sweeps/nosuch/leaderboard").error == "no sweep named 'nosuch' in the database")

        // Bad query parameters: 400 with a message naming the parameter.
        let bad: [(String, String)] = [
            ("/api/sweeps/pair/leaderboard?metric=bogus", "metric=bogus: expected one of accuracy, balanced_accuracy, macro_f1, log_loss"),
            ("/api/sweeps/pair/leaderboard?top=0", "top=0: expected a whole number from 1 to 10000"),
            ("/api/sweeps/pair/leaderboard?top=ten", "top=ten"),
            ("/api/sweeps/pair/leaderboard?sort=rank", "unknown query parameter 'sort' (expected: metric, top)"),
            ("/api/sweeps/pair/leaderboard?top=1&top=2", "query parameter 'top' is given twice"),
            ("/api/sweeps?x=1", "unknown query parameter 'x'"),
            ("/api/compare?runs=1", "runs=1: expected 2 to 20 run ids"),
            ("/api/compare?runs=1,x", "runs=1,x"),
            ("/api/compare?runs=1,01", "runs=1,01: expected 2 to 20 run ids"),
            ("/api/compare?runs=2,1,2", "runs=2,1,2: run 2 is given twice"),
            ("/api/compare", "query parameter 'runs' is required"),
            ("/api/runs/1/weights?kind=last", "kind=last: expected one of final, best"),
            ("/api/sweeps?%zz=1", "malformed percent-encoding"),
        ]
        for (target, message) in bad {
            let reply = try server.get(target)
            #expect(reply.status == 400, "\(target)")
            #expect(reply.error?.contains(message) == true, "\(target): \(reply.error ?? "")")
        }
        let twice = try server.get("/compare?runs=1,1")
        #expect(twice.status == 400 && twice.text.contains("runs=1,1: run 1 is given twice"), "\(twice.text)")

        // JSON is sent as JSON, never sniffed.
        for target in ["/api/sweeps", "/nope", "/api/runs/1/weights"] {
            let reply = try server.get(target)
            #expect(reply.headers["x-content-type-options"] == "nosniff", "\(target)")
            #expect(reply.headers["cache-control"] == "no-store")
        }
        #expect(try server.get("/api/sweeps").headers["content-type"] == "application/json; charset=utf-8")
        #expect(server.stop(SIGTERM) == 143)
    }

    /// A client that connects and sends nothing (or half a request head) is disconnected after
    /// the idle timeout (30 s); an event stream open as long is being answered, and stays open.
    @Test(.tags(.slow), .skippedWhenFast) func idleConnectionsAreClosedButStreamsAreNot() throws {
        let (_, server) = try Self.served()
        func send(_ fd: Int32, _ text: String) { _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } }
        let sockets = try (0..<3).map { _ in try connectedSocket(port: server.port, timeout: 60) }
        defer { sockets.forEach { close($0) } }
        let (silent, half, stream) = (sockets[0], sockets[1], sockets[2])
        send(half, "GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n")
        send(stream, "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n")
        let started = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        for fd in [silent, half] {
            #expect(recv(fd, &buffer, buffer.count, 0) == 0, "closed by the server")
        }
        let closedAfter = Date().timeIntervalSince(started)
        #expect(closedAfter > 25 && closedAfter < 50, "\(closedAfter) s")
        // The stream got its head, its first snapshot and ": idle" comments meanwhile, and is open.
        var streamed = Data()
        var flags = fcntl(stream, F_GETFL)
        flags |= O_NONBLOCK
        _ = fcntl(stream, F_SETFL, flags)
        while case let n = recv(stream, &buffer, buffer.count, 0), n > 0 { streamed.append(contentsOf: buffer[0..<n]) }
        let text = String(decoding: streamed, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200") && text.contains(": idle"), "\(text.prefix(300))")
        #expect(recv(stream, &buffer, buffer.count, 0) == -1 && errno == EAGAIN, "still open")
    }

    @Test func survivesTheDatabaseReplacedAndDeleted() throws {
        let (dir, server) = try Self.served()
        let path = dir.appendingPathComponent("runs.db").path
        #expect(try server.get("/api/sweeps").status == 200)

        // Another database moved over the file: read again, and said so.
        let other = try sweptIrisFolder(name: "other", seeds: [1], grid: #"{"epochs": [2]}"#)
        let copy = dir.appendingPathComponent("incoming.db").path
        try RunStore(path: other.appendingPathComponent("runs.db").path, readOnly: true).snapshot(to: copy)
        #expect(rename(copy, path) == 0)
        let replaced = try #require(try server.json("/api/sweeps") as? [String: Any])
        #expect((replaced["sweeps"] as? [[String: Any]])?.map { $0["name"] as? String } == ["other"])
        let state = try #require(replaced["database"] as? [String: Any])
        #expect(state["state"] as? String == "replaced")
        #expect((state["message"] as? String)?.contains("was replaced") == true)

        // Deleted: 503 naming the problem, the server still answers, and recovers when it is back.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".away")
        let gone = try server.get("/api/sweeps")
        #expect(gone.status == 503)
        #expect(gone.error == "runs.db was deleted or moved: nothing to show until it is back")
        let status = try #require(try server.json("/api/status") as? [String: Any])
        #expect((status["database"] as? [String: Any])?["state"] as? String == "missing")
        // A page says so as a page, which reloads itself once the file is back.
        let page = try server.get("/")
        #expect(page.status == 503)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.text.contains(#"data-page="unavailable""#)
                && page.text.contains("runs.db was deleted or moved: nothing to show until it is back"), "\(page.text)")

        // Another program's database in its place: refused by name, not answered with SQL errors.
        try Connection(path: path).execute("CREATE TABLE notes(text TEXT)")
        let foreign = try server.get("/api/sweeps")
        #expect(foreign.status == 503)
        #expect(foreign.error == "runs.db cannot be read: runs.db is an SQLite database but not an exp database (it has no exp schema); "
                + "name another file", "\(foreign.text)")
        try FileManager.default.removeItem(atPath: path)

        // The same file moved back is the file read before it went, not another one.
        try FileManager.default.moveItem(atPath: path + ".away", toPath: path)
        #expect(try server.get("/api/sweeps").status == 200)
        let back = try #require(try server.json("/api/status") as? [String: Any])
        #expect((back["database"] as? [String: Any])?["state"] as? String == "ok")
        #expect((back["database"] as? [String: Any])?["message"] as? String == "runs.db is back")
        #expect(server.process.isRunning)
    }

    /// A file written over in place (`cp other.db runs.db`: the same inode) is read as it is
    /// now and said so; a damaged file is 503 with its state `missing`, never 500 with `ok`.
    @Test func survivesTheDatabaseWrittenOverInPlace() throws {
        let (dir, server) = try Self.served()
        let path = dir.appendingPathComponent("runs.db").path
        #expect(try server.get("/api/sweeps").status == 200)
        let inode = LiveInode.of(path)
        func writeOver(_ bytes: Data) throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: bytes)
            try handle.close()
            #expect(LiveInode.of(path) == inode, "written in place")
            Thread.sleep(forTimeInterval: 1.1)  // answers are shared for a second
        }
        let other = try sweptIrisFolder(name: "other", seeds: [1], grid: #"{"epochs": [2]}"#)
        let copy = dir.appendingPathComponent("incoming.db").path
        try RunStore(path: other.appendingPathComponent("runs.db").path, readOnly: true).snapshot(to: copy)
        let good = try Data(contentsOf: URL(fileURLWithPath: copy))

        try writeOver(good)
        let sweeps = try server.get("/api/sweeps")
        #expect(sweeps.status == 200, "\(sweeps.text)")
        let replaced = try #require(try server.json("/api/sweeps") as? [String: Any])
        #expect((replaced["sweeps"] as? [[String: Any]])?.map { $0["name"] as? String } == ["other"])
        let state = try #require(try server.json("/api/status") as? [String: Any])["database"] as? [String: Any]
        #expect(state?["state"] as? String == "replaced")
        #expect(state?["message"] as? String == "runs.db was written over in place: showing what it holds now")

        // Damaged past SQLite's magic string: unreadable, and said so by the status, until it is whole again.
        try writeOver(good.prefix(16) + Data(repeating: 0xA5, count: good.count - 16))
        let damaged = try server.get("/api/sweeps")
        #expect(damaged.status == 503, "\(damaged.text)")
        #expect(damaged.error?.hasPrefix("runs.db cannot be read: ") == true, "\(damaged.text)")
        let broken = try #require(try server.json("/api/status") as? [String: Any])["database"] as? [String: Any]
        #expect(broken?["state"] as? String == "missing", "\(String(describing: broken))")
        #expect(try server.get("/runs/1").status == 503)
        try writeOver(good)
        #expect(try server.get("/api/sweeps").status == 200)
        #expect(server.process.isRunning)
    }

    @Test func aSweepWritingWhileClientsPollNeverSeesALock() throws {
        let dir = try sweptIrisFolder(name: "warm", seeds: [1], grid: #"{"epochs": [2]}"#)
        let server = try ServeProcess(database: "runs.db", in: dir)
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        try #"{"name": "busy", "dataset": "\#(data)", "seeds": [1, 2, 3, 4, 5, 6], "grid": {"epochs": [150], "learning_rate": [0.05, 0.1, 0.5]}}"#
            .write(to: dir.appendingPathComponent("busy.json"), atomically: true, encoding: .utf8)
        let done = Flag()
        let failures = Failures()
        let pollers = (0..<4).map { index in
            Thread {
                while !done.isSet {
                    let target = index % 2 == 0 ? "/api/sweeps" : "/api/sweeps/busy/leaderboard"
                    guard let reply = try? server.get(target) else { failures.add("\(target): no answer"); continue }
                    // Before the sweep stores itself, its leaderboard is rightly 404.
                    if reply.status != 200 && !(reply.status == 404 && target.contains("busy")) {
                        failures.add("\(target): \(reply.status) \(reply.text)")
                    }
                }
            }
        }
        pollers.forEach { $0.start() }
        let sweep = try exp(["sweep", "busy.json", "--jobs", "2", "--quiet"], in: dir)
        done.set()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(!sweep.stderr.contains("locked"))
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        // An answer is shared for a second after it is computed (docs/serve.md, "Many clients"),
        // so the sweep's end shows within a few seconds, not at once.
        var finished: Int?
        let deadline = Date().addingTimeInterval(5)
        repeat {
            let after = try #require(try server.json("/api/sweeps") as? [String: Any])
            let busy = try #require((after["sweeps"] as? [[String: Any]])?.first { $0["name"] as? String == "busy" })
            finished = (busy["status_counts"] as? [String: Int])?["finished"]
            if finished != 18 { Thread.sleep(forTimeInterval: 0.2) }
        } while finished != 18 && Date() < deadline
        #expect(finished == 18)
    }

    @Test func answersAHundredConcurrentClients() throws {
        let (_, server) = try Self.served()
        let failures = Failures()
        let group = DispatchGroup()
        for client in 0..<100 {
            group.enter()
            Thread {
                defer { group.leave() }
                for request in 0..<5 {
                    let target = ["/api/sweeps", "/api/sweeps/pair/leaderboard", "/", "/api/runs/1", "/api/status"][(client + request) % 5]
                    guard let reply = try? server.get(target) else { failures.add("\(target): no answer"); continue }
                    if reply.status != 200 { failures.add("\(target): \(reply.status)") }
                }
            }.start()
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(failures.all.isEmpty, "\(failures.all.count) failures: \(failures.all.prefix(3))")
        #expect(server.process.isRunning)
    }

    /// Every thread of the server, its event loops and Dispatch's workers included, runs at
    /// nice 10 or more once it has served (``ProcessPriority``): started without `nice`, and
    /// although Dispatch gives its workers nice values of −4 to 0.
    @Test func everyThreadRunsBelowASweepsPriority() throws {
        let (_, server) = try Self.served()
        for target in ["/", "/api/sweeps", "/api/sweeps/pair/leaderboard", "/api/status"] {
            #expect(try server.get(target).status == 200, "\(target)")
        }
        var niceness: [String: Int] = [:]
        let deadline = Date().addingTimeInterval(5)
        repeat {
            niceness = threadNiceness(server.process.processIdentifier)
            if niceness.values.allSatisfy({ $0 >= 10 }) { break }
            usleep(200_000)
        } while Date() < deadline
        #expect(niceness.count >= 3, "\(niceness)")
        #expect(niceness.values.allSatisfy { $0 >= 10 }, "\(niceness)")
    }

    @Test func startupErrorsAndExitStatuses() throws {
        let dir = temporaryDirectory()
        let missing = try exp(["serve", "--db", "nosuch.db", "--port", "0"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("exp: ") && missing.stderr.contains("nosuch.db"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nosuch.db").path))
        let badPort = try exp(["serve", "--port", "70000"], in: dir)
        #expect(badPort.status == 2)

        let (swept, server) = try Self.served()
        let taken = try exp(["serve", "--port", "\(server.port)"], in: swept)
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("exp: cannot listen on 127.0.0.1:\(server.port)"), "\(taken.stderr)")
        #expect(server.stop(SIGHUP) == 129)
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ failure: String) { lock.withLock { list.append(failure) } }
    var all: [String] { lock.withLock { list } }
}

/// A file's inode number, to tell a file written in place from one moved over it.
enum LiveInode {
    static func of(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }
}
