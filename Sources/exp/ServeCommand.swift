import ArgumentParser
import Foundation
import Serve

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve a live, read-only view of runs.db to a browser and a JSON API.",
        discussion: """
            Opens the database read-only (a sweep may write to it at the same time) and answers on \
            http://HOST:PORT/ until stopped with Ctrl-C (exit status 130). The JSON API is under /api/ \
            (docs/serve.md). Bound to 127.0.0.1 by default: only this machine can connect; requests \
            naming another host are refused. Runs at nice value 10 (or the higher one it was \
            started with), so that a sweep on the same machine keeps the CPU.

            Examples:
              exp serve
              exp serve --db shards/runs.db --port 9000
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "The address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
    var host: String = "127.0.0.1"
    @Option(name: .long, help: "The TCP port (0: any free port).")
    var port: Int = 8765

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        if host.isEmpty { throw ValidationError("--host needs an address") }
    }

    func run() throws {
        let priority = ProcessPriority.keepLowered(to: ProcessPriority.serve)
        defer { priority.cancel() }
        let server: LiveServer
        do {
            server = try LiveServer(configuration: ServeConfiguration(databasePath: database.db, host: host, port: port))
            openedDatabase = database.db
        } catch {
            throw ExpError.database(error, path: database.db)
        }
        let stop = StopOnSignal()
        let host = self.host, db = database.db
        Task {
            do {
                try await server.run { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    print("exp serve: http://\(shown):\(port)/ (\(db), read-only; Ctrl-C to stop)")
                    fflush(stdout)
                }
                stop.finish(nil)
            } catch {
                stop.finish(error)
            }
        }
        switch stop.wait() {
        case .signal(let number): throw ExpError.interrupted(signal: number, "stopped")
        case .failed(let error as ListenError): throw ExpError.incomplete("\(error)")
        case .failed(let error): throw ExpError.incomplete("the server stopped: \(error)")
        case .finished: return
        }
    }
}

/// Waits for SIGINT, SIGTERM or SIGHUP, or for the server to end.
final class StopOnSignal: @unchecked Sendable {
    enum Outcome { case signal(Int32), failed(Error), finished }
    private let lock = NSLock()
    private let semaphore = DispatchSemaphore(value: 0)
    private var outcome: Outcome?
    private var sources: [DispatchSourceSignal] = []

    init() {
        sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in settle(.signal(number)) }
            source.resume()
            return source
        }
    }

    func finish(_ error: Error?) { settle(error.map { .failed($0) } ?? .finished) }

    private func settle(_ value: Outcome) {
        let first = lock.withLock { () -> Bool in
            guard outcome == nil else { return false }
            outcome = value
            return true
        }
        if first { semaphore.signal() }
    }

    func wait() -> Outcome {
        semaphore.wait()
        return lock.withLock { outcome! }
    }
}
