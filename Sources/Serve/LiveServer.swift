import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Where `exp serve` listens and what it reads.
public struct ServeConfiguration: Sendable {
    /// The `runs.db` to show, opened read-only.
    public var databasePath: String
    /// The address to bind: `127.0.0.1` (the default), `localhost`, `::1`, or `0.0.0.0` for every interface.
    public var host: String
    /// The TCP port; 0 picks a free one (``LiveServer/run(onListening:)`` reports it).
    public var port: Int
    /// Seconds a connection may stay idle (no request being answered, or a request's head not
    /// yet complete) before the server closes it, so that clients that connect and send nothing
    /// cannot hold connections open. An event stream is never idle: it is being answered.
    public var idleTimeout: Int = 30

    public init(databasePath: String, host: String = "127.0.0.1", port: Int = 8765) {
        self.databasePath = databasePath
        self.host = host
        self.port = port
    }
}

/// The server could not listen (the port is taken, the address is not this machine's).
public struct ListenError: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var reason: String
    public var description: String { "cannot listen on \(host):\(port): \(reason)" }
}

/// The live view's HTTP server (Hummingbird 2 over SwiftNIO, HTTP/1.1).
///
/// Every request passes ``RequestGuard`` first (the `Host` header, GET or HEAD only, the path),
/// then is routed: `/api/...` to ``API``. Answers carry `X-Content-Type-Options: nosniff` and
/// `Cache-Control: no-store`. The database is opened once, read-only (``LiveDatabase``); the
/// server never writes to it.
public final class LiveServer: Sendable {
    public let configuration: ServeConfiguration
    let database: LiveDatabase
    /// The shared snapshots of `/api/events`.
    let feed = LiveFeed()
    /// Blocking database reads run here, off the server's event loops.
    private let queue = DispatchQueue(label: "exp.serve.reads", attributes: .concurrent)

    /// Opens the database read-only.
    /// - Throws: what `RunStore(path:readOnly: true)` throws: `DatabaseFileError` (missing, empty,
    ///   a directory), `SchemaError` (a newer exp's file), `SQLiteError` (not a database).
    public init(configuration: ServeConfiguration) throws {
        self.configuration = configuration
        database = try LiveDatabase(path: configuration.databasePath)
        database.onFileChange = { [replies] file in replies.keepOnly(file: file) }
    }

    /// Serves until the task is cancelled or the server fails.
    /// - Parameter onListening: called once with the port listened on, when requests can be made.
    /// - Throws: ``ListenError`` when the address cannot be bound.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "exp.serve")
        logger.logLevel = .critical
        let started = Started()
        // One snapshot per tick for every client of /api/events.
        // Its read waits for the database lock on the read queue, never on a thread of Swift's
        // small shared pool (which the streams and the server's handlers need meanwhile).
        let ticker = Task.detached { [self] in
            while !Task.isCancelled {
                feed.publish(await onReadQueue { API(database: self.database).feedSnapshot() })
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
        defer {
            ticker.cancel()
            feed.close()
        }
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { [self] request, _ in await respond(to: request) },
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? self.configuration.port
                self.listeningPort.value = port
                started.set()
                onListening(port)
            },
            logger: logger)
        do {
            try await app.run()
        } catch where !started.isSet {
            throw ListenError(host: configuration.host, port: configuration.port, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        return "\(error)"
    }

    private func respond(to request: Request) async -> Response {
        let method = request.method.rawValue
        let host = request.head.authority
        let target = request.head.path ?? "/"
        let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!]
        let reply: Reply
        if let refusal = refusal(method: method, host: host) {
            reply = await onReadQueue { self.problem(refusal, target: target) }
        } else if Self.isShared(target) {
            reply = await sharedReply(to: target)
        } else {
            reply = await onReadQueue { self.route(target: target, lastEventID: lastEventID) }
        }
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[.cacheControl] = "no-store"
        for (name, value) in reply.headers { headers[HTTPField.Name(name)!] = value }
        let body: ResponseBody
        if method == "HEAD" {
            body = ResponseBody()
            if reply.stream == nil { headers[.contentLength] = String(reply.body.count) }
        } else if let stream = reply.stream {
            body = ResponseBody(stream)
        } else {
            body = ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body))
        }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers, body: body)
    }

    /// The answer to `target` (one that ``isShared(_:)``) through ``replies``: computed, or
    /// checked again, on the read queue.
    func sharedReply(to target: String) async -> Reply {
        let key = ReplyCache.Key(target: target, file: LiveDatabase.FileIdentity.of(database.path))
        return await replies.reply(for: key, compute: { await self.onReadQueue { self.route(target: target) } },
                                   recheck: { check in await self.onReadQueue(check) })
    }

    /// One request's answer: the guard's checks, then the route.
    func handle(method: String, host: String?, target: String, lastEventID: String? = nil) -> Reply {
        refusal(method: method, host: host).map { problem($0, target: target) } ?? route(target: target, lastEventID: lastEventID)
    }

    /// The guard's refusal of a request from another `Host` (403) or with a write method (405);
    /// nil when the request may be routed.
    func refusal(method: String, host: String?) -> Refusal? {
        let guardian = RequestGuard(boundHost: configuration.host, port: listeningPort.value)
        guard guardian.allowsHost(host) else {
            return Refusal(status: 403, message: "Host '\(host ?? "")' is not this server: use http://localhost or the address exp serve printed (DNS rebinding protection)")
        }
        do {
            try RequestGuard.checkMethod(method)
            return nil
        } catch let refusal as Refusal {
            return refusal
        } catch {
            return Refusal(status: 500, message: "\(error)")
        }
    }

    /// The answer to `target` (path and query): the path's and query's checks, then the page,
    /// the API or the event stream; a problem is answered by ``problem(_:target:)``.
    func route(target: String, lastEventID: String? = nil) -> Reply {
        do {
            let (segments, query) = try Self.parse(target)
            if segments.first == "api" {
                if segments == ["api", "events"] { return try EventStream.reply(feed: feed, query: query, lastEventID: lastEventID) }
                return try API(database: database, feed: feed).respond(Array(segments.dropFirst()), query)
            }
            return try Pages(database: database).respond(segments, query)
        } catch let refusal as Refusal {
            return problem(refusal, target: target)
        } catch let gone as DatabaseGoneError {
            return problem(Refusal(status: 503, message: gone.message), target: target)
        } catch {
            return problem(Refusal(status: 500, message: "\(error)"), target: target)
        }
    }

    /// A request's problem: in JSON under `/api/`, and elsewhere as a page
    /// (``Pages/problemPage(status:message:)``) a browser shows.
    func problem(_ refusal: Refusal, target: String) -> Reply {
        guard !(target == "/api" || target.hasPrefix("/api/") || target.hasPrefix("/api?")) else {
            return .error(refusal.status, refusal.message, headers: refusal.headers)
        }
        var page = Reply.page(Pages(database: database).problemPage(status: refusal.status, message: refusal.message), status: refusal.status)
        page.headers += refusal.headers
        return page
    }

    /// The target's path segments (each decoded once, checked by ``RequestGuard``) and query.
    private static func parse(_ target: String) throws -> ([String], QueryParameters) {
        let pathEnd = target.firstIndex(of: "?") ?? target.endIndex
        let queryText = pathEnd < target.endIndex ? String(target[target.index(after: pathEnd)...]) : nil
        return (try RequestGuard.segments(ofPath: String(target[..<pathEnd])), try QueryParameters(queryText))
    }

    /// Whether the answer to `target` is shared through ``replies``: every page and endpoint but
    /// the event stream (one per client, resumed from its own `Last-Event-ID`) and `/api/status`
    /// (no database read, and the feed's figures of this moment).
    static func isShared(_ target: String) -> Bool {
        guard let (segments, _) = try? parse(target) else { return false }
        return segments != ["api", "events"] && segments != ["api", "status"]
    }

    /// Runs `body` on the read queue: blocking database reads wait there, off the event loops
    /// and Swift's shared pool.
    private func onReadQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: body()) } }
    }

    /// Answers shared between the clients asking for the same target within one tick.
    let replies = ReplyCache()

    /// The port listened on (the configured one, or for port 0 the one the socket got), which
    /// `Host` headers are checked against.
    let listeningPort = PortBox()
}

/// The port found at start (for `--port 0`).
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    var value: Int {
        get { lock.withLock { port } }
        set { lock.withLock { port = newValue } }
    }
}

/// Whether the server has started listening.
final class Started: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var isSet: Bool { lock.withLock { flag } }
}
