import Foundation
import Testing
import TestSupport
import Tracker
@testable import ReportFixtures
@testable import Serve

/// A run that has ended keeps its page, curves and JSON past the one-second lifetime of shared
/// answers, checked once a lifetime by its revision; a run still written never does, and a
/// change to the run shows after one lifetime.
@Suite struct KeptRunAnswerTests {
    static func targets(_ id: Int64) -> [String] { ["/api/runs/\(id)", "/runs/\(id)", "/runs/\(id)/curves"] }

    @Test func anEndedRunsAnswersAreKeptUntilItChanges() async throws {
        let fixture = try Fixture()
        // The second run is claimed and left running.
        let sweepID = try fixture.sweep("kept", runs: [RunSpec(parameters: baseline(), seed: 1, status: .interrupted),
                                                       RunSpec(parameters: baseline(), seed: 2, status: .queued)])
        let runs = try fixture.store.runSummaries(sweep: "kept")
        let ended = try #require(runs.first { $0.status == .interrupted }?.runID)
        let running = try #require(runs.first { $0.status == .running }?.runID)
        let server = try LiveServer(configuration: ServeConfiguration(databasePath: fixture.store.path, port: 8765))
        server.listeningPort.value = 8765

        for target in Self.targets(running) {
            let reply = await server.sharedReply(to: target)
            #expect(reply.status == 200, "\(target)")
            #expect(reply.stillCurrent == nil, "\(target): a running run's answer lives one lifetime")
        }
        var kept: [Reply] = []
        for target in Self.targets(ended) {
            let reply = await server.sharedReply(to: target)
            #expect(reply.status == 200, "\(target)")
            #expect(reply.stillCurrent?() == true, "\(target)")
            kept.append(reply)
        }
        #expect(String(decoding: kept[1].body, as: UTF8.self).contains("<span id=\"status\">interrupted</span>"))

        // Unchanged, past the lifetime: the kept answers, checked, not computed again. (Rows
        // deleted behind the store's back, which no exp command does, would show if they were.)
        let raw = try Connection(path: fixture.store.path)
        _ = try raw.run("DELETE FROM epoch_metrics WHERE run_id = ?", [.integer(ended)])
        try await Task.sleep(nanoseconds: 1_100_000_000)
        let checked = await Self.targets(ended).asyncMap { await server.sharedReply(to: $0) }
        #expect(checked.map(\.body) == kept.map(\.body))
        #expect(checked.allSatisfy { $0.stillCurrent != nil })

        // `exp sweep --resume` puts the interrupted run back in the queue.
        let outcome = try fixture.store.requeueUnfinished(sweepID: sweepID, observer: ClaimOwner(host: "test", pid: 1)) { _ in true }
        // (The running run's claim may have expired meanwhile on a slow machine; it is requeued too.)
        #expect(outcome.requeued.map(\.runID).contains(ended))
        #expect(kept.allSatisfy { $0.stillCurrent?() == false })
        try await Task.sleep(nanoseconds: 1_100_000_000)  // past the shared answers' lifetime
        let again = await Self.targets(ended).asyncMap { await server.sharedReply(to: $0) }
        #expect(again.allSatisfy { $0.status == 200 && $0.stillCurrent == nil })
        #expect(String(decoding: again[0].body, as: UTF8.self).contains("\"status\":\"queued\""))
        #expect(String(decoding: again[1].body, as: UTF8.self).contains("<span id=\"status\">queued</span>"))
        #expect(String(decoding: again[2].body, as: UTF8.self).contains("No epoch stored yet"), "computed again")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
