import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Claim tokens and liveness: only a claim's holder stores its run's result, heartbeat or
/// interruption, and a `running` run is taken over only when its process is provably gone.
@Suite struct ClaimTests {
    let scratch: Scratch
    let store: RunStore

    init() throws {
        scratch = try Scratch()
        store = try RunStore(path: scratch.path("runs.db"))
    }

    /// A sweep of `count` queued cells; its id.
    func queued(_ count: Int) throws -> Int64 {
        let fixture = try prepare(store)
        let configs = (1...count).map { Config(learningRate: Double($0) / 10, hidden: 8) }
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: cells(configs, seeds: [1], splitID: fixture.splitID))
        return fixture.sweepID
    }

    func value(_ column: String, of runID: Int64) throws -> SQLValue? {
        try store.connection.scalar("SELECT \(column) FROM runs WHERE run_id = ?", [.integer(runID)])
    }

    func ageHeartbeat(of runID: Int64, seconds: Double) throws {
        try store.connection.run("UPDATE runs SET heartbeat_at = ? WHERE run_id = ?",
                                 [.text(timestamp(Date().addingTimeInterval(-seconds))), .integer(runID)])
    }

    @Test func aClaimStoresItsOwnerAndARandomToken() throws {
        defer { scratch.cleanup() }
        let sweepID = try queued(2)
        let owner = ClaimOwner(host: "node-1", pid: 77, bootID: "boot-a", pidNamespace: "pid:[4026531836]", heartbeatTimeout: 5)
        let first = try #require(try store.claimNext(sweepID: sweepID, owner: owner))
        let second = try #require(try store.claimNext(sweepID: sweepID, owner: owner))
        #expect(first.token.count == 36 && second.token.count == 36 && first.token != second.token)
        #expect(try value("claim_token", of: first.runID)?.string == first.token)
        #expect(try value("host || ' ' || pid || ' ' || boot_id || ' ' || pid_namespace || ' ' || heartbeat_timeout", of: first.runID)?.string
                == "node-1 77 boot-a pid:[4026531836] 5.0")
        #expect(owner.heartbeatPeriod == 5.0 / 6)
    }

    /// A paused owner's claim is taken over; its late heartbeat, result and interruption are
    /// refused, and the new owner's result stands: one finished row, with the new owner's epochs.
    @Test func aLateResultOfATakenOverClaimIsRefused() throws {
        defer { scratch.cleanup() }
        let sweepID = try queued(1)
        let paused = try #require(try store.claimNext(sweepID: sweepID, owner: ClaimOwner(host: "h", pid: 10, heartbeatTimeout: 2)))
        try ageHeartbeat(of: paused.runID, seconds: 3)
        let peer = ClaimOwner(host: "h", pid: 20)
        let taken = try store.takeOverLostRuns(sweepID: sweepID, observer: peer) { _ in true }
        #expect(taken == [LostRun(runID: paused.runID, cellIndex: 0, host: "h", pid: 10)])
        let newOwner = try #require(try store.claimNext(sweepID: sweepID, owner: peer))
        #expect(newOwner.runID == paused.runID && newOwner.attempt == 2)

        #expect(try store.heartbeat([paused, newOwner]) == [paused.runID])
        try store.record(newOwner, finishedResult(validationAccuracy: 0.75, epochs: 4))
        #expect(throws: ClaimLostError(runID: paused.runID)) { try store.record(paused, finishedResult(validationAccuracy: 0.25, epochs: 9)) }
        #expect(try store.markInterrupted([paused]).isEmpty)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 1)
        #expect(try value("final_validation_accuracy", of: paused.runID)?.double == 0.75)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 4)
        #expect(try value("pid", of: paused.runID)?.int == 20)
    }

    @Test func onlyTheHolderMarksItsRunInterrupted() throws {
        defer { scratch.cleanup() }
        let sweepID = try queued(2)
        let mine = try #require(try store.claimNext(sweepID: sweepID, host: "h", pid: 1))
        let finished = try #require(try store.claimNext(sweepID: sweepID, host: "h", pid: 1))
        try store.record(finished, finishedResult(validationAccuracy: 0.5))
        var forged = mine
        forged.token = "not-the-token"
        #expect(try store.markInterrupted([forged, finished]).isEmpty)
        #expect(try store.markInterrupted([mine, finished]) == [mine.runID])
        #expect(try value("status", of: mine.runID)?.string == "interrupted")
        #expect(try value("status", of: finished.runID)?.string == "finished")
    }

    /// The pid is compared only within one boot and one PID namespace; otherwise the heartbeat
    /// decides, against the window the owner stored.
    @Test func livenessIsTheHeartbeatWithPidsOnlyWithinOneNamespace() {
        let observer = ClaimOwner(host: "h", pid: 1, bootID: "boot-a", pidNamespace: "pid:[1]")
        let now = Date()
        let fresh = now.addingTimeInterval(-1)
        let dead: (Int) -> Bool = { _ in false }
        let alive: (Int) -> Bool = { _ in true }
        let sameNamespace = ClaimOwner(host: "h", pid: 5, bootID: "boot-a", pidNamespace: "pid:[1]", heartbeatTimeout: 10)
        #expect(observer.considersGone(sameNamespace, heartbeatAt: fresh, now: now, isAlive: dead))
        #expect(!observer.considersGone(sameNamespace, heartbeatAt: fresh, now: now, isAlive: alive))
        // Another namespace, another boot (a container, a rebooted node), or unknown: the pid says nothing.
        for other in [ClaimOwner(host: "h", pid: 5, bootID: "boot-a", pidNamespace: "pid:[2]", heartbeatTimeout: 10),
                      ClaimOwner(host: "h", pid: 5, bootID: "boot-b", pidNamespace: "pid:[1]", heartbeatTimeout: 10),
                      ClaimOwner(host: "h", pid: 5, heartbeatTimeout: 10)] {
            #expect(!observer.considersGone(other, heartbeatAt: fresh, now: now, isAlive: dead))
            #expect(!observer.considersGone(other, heartbeatAt: now.addingTimeInterval(-9.5), now: now, isAlive: dead))
            #expect(observer.considersGone(other, heartbeatAt: now.addingTimeInterval(-10.5), now: now, isAlive: alive))
            #expect(observer.considersGone(other, heartbeatAt: nil, now: now, isAlive: alive))
        }
        // An observer that does not know its own namespace never compares pids.
        let unknown = ClaimOwner(host: "h", pid: 1)
        #expect(!unknown.considersGone(ClaimOwner(host: "h", pid: 5), heartbeatAt: fresh, now: now, isAlive: dead))
    }

    /// Each claim is judged by its own window; a claim stored before schema version 8 has none
    /// and keeps the old two minutes.
    @Test func takeOverUsesEachClaimsWindowAndTheShard() throws {
        defer { scratch.cleanup() }
        let sweepID = try queued(4)
        let observer = ClaimOwner(host: "h", pid: 1)
        let short = try #require(try store.claimNext(sweepID: sweepID, owner: ClaimOwner(host: "h", pid: 2, heartbeatTimeout: 5)))
        let long = try #require(try store.claimNext(sweepID: sweepID, owner: ClaimOwner(host: "h", pid: 3, heartbeatTimeout: 600)))
        let old = try #require(try store.claimNext(sweepID: sweepID, owner: ClaimOwner(host: "h", pid: 4)))
        let oldToo = try #require(try store.claimNext(sweepID: sweepID, owner: ClaimOwner(host: "h", pid: 5)))
        try store.connection.run("UPDATE runs SET heartbeat_timeout = NULL WHERE run_id IN (?, ?)", [.integer(old.runID), .integer(oldToo.runID)])
        for claim in [short, long, old] { try ageHeartbeat(of: claim.runID, seconds: 100) }
        try ageHeartbeat(of: oldToo.runID, seconds: 130)
        #expect(try store.hasRunningRuns(sweepID: sweepID))

        // Shard 1/2 holds cells 1 and 3: only the pre-version-8 claim past two minutes is lost there.
        #expect(try store.takeOverLostRuns(sweepID: sweepID, observer: observer, shard: (index: 1, count: 2)) { _ in true }
                    .map(\.runID) == [oldToo.runID])
        #expect(try store.takeOverLostRuns(sweepID: sweepID, observer: observer) { _ in true }.map(\.runID) == [short.runID])
        #expect(try value("status || ' ' || IFNULL(claim_token, '-')", of: short.runID)?.string == "queued -")
        #expect(try value("status", of: long.runID)?.string == "running")
        #expect(try value("status", of: old.runID)?.string == "running")
        #expect(try store.hasRunningRuns(sweepID: sweepID, shard: (index: 0, count: 2)))
        try store.record(long, finishedResult(validationAccuracy: 0.5))
        try store.record(old, finishedResult(validationAccuracy: 0.5))
        #expect(try !store.hasRunningRuns(sweepID: sweepID))
        #expect(try store.statusCounts(sweepID: sweepID, shard: (index: 0, count: 2)) == [.queued: 1, .finished: 1])
    }
}
