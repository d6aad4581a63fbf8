import Foundation
import Testing
import TestSupport
import Tracker
@testable import ReportFixtures
@testable import Serve

/// A run that has stored no weights yet (it is running) offers no link to them, in its JSON or
/// on its page, and no confusion counts; a finished run offers the kinds it stored (here `final`).
@Suite struct RunWithoutWeightsTests {
    @Test func onlyStoredWeightsAreLinked() async throws {
        let fixture = try Fixture()
        _ = try fixture.sweep("links", runs: [RunSpec(parameters: baseline(), seed: 1, status: .finished, weights: Data("model".utf8)),
                                              RunSpec(parameters: baseline(), seed: 2, status: .queued)])
        let runs = try fixture.store.runSummaries(sweep: "links")
        let finished = try #require(runs.first { $0.status == .finished }?.runID)
        let running = try #require(runs.first { $0.status == .running }?.runID)
        let server = try LiveServer(configuration: ServeConfiguration(databasePath: fixture.store.path, port: 8765))
        server.listeningPort.value = 8765

        func json(_ id: Int64) async throws -> [String: Any] {
            let reply = await server.sharedReply(to: "/api/runs/\(id)")
            return try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        }
        let open = try await json(running)
        #expect((open["weights"] as? [String: String])?.isEmpty == true)
        #expect((open["confusion"] as? [String: Any])?["counts"] is NSNull)
        let page = String(decoding: await server.sharedReply(to: "/runs/\(running)").body, as: UTF8.self)
        #expect(page.contains("<strong>Weights (safetensors): </strong>none stored yet"), "\(page)")

        let done = try await json(finished)
        #expect(done["weights"] as? [String: String] == ["final": "/api/runs/\(finished)/weights?kind=final"])
        let donePage = String(decoding: await server.sharedReply(to: "/runs/\(finished)").body, as: UTF8.self)
        #expect(donePage.contains("<strong>Weights (safetensors): </strong><a href=\"/api/runs/\(finished)/weights?kind=final\">final</a></li>"))
    }
}
