import Foundation
import Testing
@testable import Serve

/// The live view's shared answers: one computation per target per tick, whatever the number of
/// clients (100 clients polling a leaderboard once a second starved the feed's snapshot of the
/// database lock, so every event stream went silent).
@Suite struct ReplyCacheTests {
    /// Counts the computations.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.withLock { n += 1; return n } }
        var value: Int { lock.withLock { n } }
    }

    static let key = ReplyCache.Key(target: "/api/sweeps/iris/leaderboard", file: nil)

    /// A slow computation whose body names which computation it was.
    static func slow(_ counter: Counter, status: Int = 200) -> @Sendable () async -> Reply {
        {
            let n = counter.next()
            try? await Task.sleep(nanoseconds: 200_000_000)
            return Reply(status: status, contentType: "text/plain", body: Data("answer \(n)".utf8))
        }
    }

    @Test func aHundredConcurrentRequestsShareOneComputation() async {
        let cache = ReplyCache(lifetime: 60)
        let counter = Counter()
        let bodies = await withTaskGroup(of: String.self) { group in
            for _ in 0..<100 {
                group.addTask { String(decoding: await cache.reply(for: Self.key, compute: Self.slow(counter)).body, as: UTF8.self) }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(counter.value == 1)
        #expect(bodies.count == 100)
        #expect(Set(bodies) == ["answer 1"])
        // Within the lifetime, a later request gets the same answer.
        #expect(await cache.reply(for: Self.key, compute: Self.slow(counter)).body == Data("answer 1".utf8))
        #expect(counter.value == 1)
    }

    @Test func anAnswerIsComputedAgainAfterItsLifetime() async throws {
        let cache = ReplyCache(lifetime: 0.3)
        let counter = Counter()
        _ = await cache.reply(for: Self.key, compute: Self.slow(counter))
        try await Task.sleep(nanoseconds: 500_000_000)
        let later = await cache.reply(for: Self.key, compute: Self.slow(counter))
        #expect(later.body == Data("answer 2".utf8))
        #expect(counter.value == 2)
        #expect(cache.count == 1)
    }

    @Test func anAnswerBuiltFromOlderDataLivesFromWhenItsDataWasRead() async throws {
        let cache = ReplyCache(lifetime: 0.5)
        let counter = Counter()
        let stale: @Sendable () async -> Reply = {
            var reply = Reply(status: 200, contentType: "text/plain", body: Data("answer \(counter.next())".utf8))
            reply.readAt = ProcessInfo.processInfo.systemUptime - 0.45
            return reply
        }
        _ = await cache.reply(for: Self.key, compute: stale)
        try await Task.sleep(nanoseconds: 150_000_000)
        // 0.6 s after its data was read, 0.15 s after it was ready: computed again.
        #expect(await cache.reply(for: Self.key, compute: stale).body == Data("answer 2".utf8))
        #expect(counter.value == 2)
    }

    @Test func anotherTargetOrAnotherFileIsAnotherAnswer() async {
        let cache = ReplyCache(lifetime: 60)
        let counter = Counter()
        _ = await cache.reply(for: Self.key, compute: Self.slow(counter))
        let replaced = ReplyCache.Key(target: Self.key.target, file: LiveDatabase.FileIdentity(device: 1, inode: 2))
        #expect(await cache.reply(for: replaced, compute: Self.slow(counter)).body == Data("answer 2".utf8))
        let other = ReplyCache.Key(target: "/api/sweeps", file: nil)
        #expect(await cache.reply(for: other, compute: Self.slow(counter)).body == Data("answer 3".utf8))
        #expect(counter.value == 3)
    }

    /// Once the server has left a file, its answers are gone: a new file that gets the old
    /// file's inode number is read, not answered from the old file.
    @Test func answersOfAFileLeftAreDropped() async {
        let cache = ReplyCache(lifetime: 60)
        let counter = Counter()
        let first = LiveDatabase.FileIdentity(device: 1, inode: 7), second = LiveDatabase.FileIdentity(device: 1, inode: 8)
        let old = ReplyCache.Key(target: Self.key.target, file: first)
        _ = await cache.reply(for: old, compute: Self.slow(counter))
        _ = await cache.reply(for: ReplyCache.Key(target: Self.key.target, file: second), compute: Self.slow(counter))
        cache.keepOnly(file: second)
        #expect(cache.count == 1)
        #expect(await cache.reply(for: old, compute: Self.slow(counter)).body == Data("answer 3".utf8))
    }

    @Test func onlySuccessfulAnswersAreKept() async {
        let cache = ReplyCache(lifetime: 60)
        let counter = Counter()
        #expect(await cache.reply(for: Self.key, compute: Self.slow(counter, status: 404)).status == 404)
        #expect(cache.count == 0)
        #expect(await cache.reply(for: Self.key, compute: Self.slow(counter)).status == 200)
        #expect(counter.value == 2)
    }

    /// An answer that can say whether it is still right (a finished run's), and a switch for it.
    final class Kept: @unchecked Sendable {
        private let lock = NSLock()
        private var current = true
        private var checks = 0
        func change() { lock.withLock { current = false } }
        var checked: Int { lock.withLock { checks } }
        func check() -> Bool { lock.withLock { checks += 1; return current } }

        func compute(_ counter: Counter, bytes: Int = 8) -> @Sendable () async -> Reply {
            { [self] in
                var reply = Reply(status: 200, contentType: "text/plain",
                                  body: Data("answer \(counter.next())".utf8) + Data(repeating: 32, count: max(0, bytes - 8)))
                reply.stillCurrent = { self.check() }
                return reply
            }
        }
    }

    /// A clock the test moves.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var seconds: TimeInterval = 1_000
        func advance(_ by: TimeInterval) { lock.withLock { seconds += by } }
        var now: TimeInterval { lock.withLock { seconds } }
    }

    @Test func anAnswerThatIsStillRightIsCheckedOnceALifetimeInsteadOfComputed() async throws {
        let clock = Clock()
        let cache = ReplyCache(lifetime: 1, clock: { clock.now })
        let counter = Counter(), kept = Kept()
        #expect(await cache.reply(for: Self.key, compute: kept.compute(counter)).body == Data("answer 1".utf8))
        clock.advance(0.9)
        #expect(await cache.reply(for: Self.key, compute: kept.compute(counter)).body == Data("answer 1".utf8))
        #expect(kept.checked == 0, "within its lifetime an answer is not checked")
        clock.advance(0.2)
        #expect(await cache.reply(for: Self.key, compute: kept.compute(counter)).body == Data("answer 1".utf8))
        #expect(kept.checked == 1 && counter.value == 1, "past its lifetime: checked, not computed")
        #expect(cache.count == 1)
        clock.advance(0.9)
        _ = await cache.reply(for: Self.key, compute: kept.compute(counter))
        #expect(kept.checked == 1, "a check starts a new lifetime")
        kept.change()
        clock.advance(0.2)
        #expect(await cache.reply(for: Self.key, compute: kept.compute(counter)).body == Data("answer 2".utf8))
        #expect(kept.checked == 2 && counter.value == 2, "its data changed: computed again")
    }

    @Test func keptAnswersAreBoundedByBytesTheLeastRecentGoingFirst() async {
        let cache = ReplyCache(lifetime: 60, keptBytes: 250)
        let counter = Counter(), kept = Kept()
        let keys = ["/runs/1", "/runs/2", "/runs/3"].map { ReplyCache.Key(target: $0, file: nil) }
        for key in keys { _ = await cache.reply(for: key, compute: kept.compute(counter, bytes: 100)) }
        #expect(cache.count == 3, "300 bytes: over the bound only when the next answer is computed")
        _ = await cache.reply(for: ReplyCache.Key(target: "/runs/4", file: nil), compute: kept.compute(counter, bytes: 100))
        #expect(cache.count == 3, "/runs/1, the least recent, was dropped")
        #expect(await cache.reply(for: keys[2], compute: kept.compute(counter)).body.prefix(8) == Data("answer 3".utf8))
        #expect(await cache.reply(for: keys[0], compute: kept.compute(counter)).body == Data("answer 5".utf8),
                "computed again")
    }

    @Test func theStreamAndTheStatusAreNeverShared() {
        #expect(!LiveServer.isShared("/api/events"))
        #expect(!LiveServer.isShared("/api/%65vents?last_event_id=3"))
        #expect(!LiveServer.isShared("/api/status"))
        #expect(!LiveServer.isShared("/../etc/passwd"))
        #expect(LiveServer.isShared("/api/sweeps/iris/leaderboard?top=3"))
        #expect(LiveServer.isShared("/sweeps/iris/table"))
        #expect(LiveServer.isShared("/runs/1/curves"))
    }
}
