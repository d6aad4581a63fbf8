import Foundation
import Testing
import TestSupport
@testable import ReportFixtures
@testable import Serve

/// Every page and fragment of the live view on the report's markup-name sweep: every name from
/// the data (sweep, data set, features, classes, a hyperparameter and its values) escaped.
@Suite struct ServeEscapingTests {
    static let hostile = ["<script>alert(1)</script>", "<img src=x>", "<b>bold</b>", "<i>"]

    func get(_ server: LiveServer, _ target: String) -> Reply {
        server.handle(method: "GET", host: "127.0.0.1:8765", target: target)
    }

    @Test func everyNameOnEveryPageIsEscaped() throws {
        let fixture = try Fixture()
        try hostileSweep(fixture)
        let server = try LiveServer(configuration: ServeConfiguration(databasePath: fixture.store.path, port: 8765))
        server.listeningPort.value = 8765
        let sweep = "sweep|<b>bold</b>&'"
        let run = try #require(try fixture.store.runSummaries(sweep: sweep).first?.runID)
        let path = "/sweeps/" + Pages.segment(sweep)
        let targets = ["/", path, path + "/table", "/runs/\(run)", "/runs/\(run)/curves", "/compare?runs=\(run),\(run + 1)"]
        for target in targets {
            let reply = get(server, target)
            #expect(reply.status == 200, "\(target): \(String(decoding: reply.body, as: UTF8.self))")
            let html = String(decoding: reply.body, as: UTF8.self)
            for raw in Self.hostile { #expect(!html.contains(raw), "\(target) holds \(raw) unescaped") }
            #expect(!html.contains("sweep|<b>"), "\(target)")
            #expect(reply.headers.contains { $0.0 == "Content-Security-Policy" && $0.1.contains("default-src 'none'") })
        }
        let index = String(decoding: get(server, "/").body, as: UTF8.self)
        #expect(index.contains("sweep|&lt;b&gt;bold&lt;/b&gt;&amp;&#39;"))
        #expect(index.contains("href=\"/sweeps/sweep%7C%3Cb%3Ebold%3C%2Fb%3E%26%27\""))
        let board = String(decoding: get(server, path).body, as: UTF8.self)
        #expect(board.contains("data-sweep=\"sweep|&lt;b&gt;bold&lt;/b&gt;&amp;&#39;\""))
        #expect(board.contains("odd|&lt;name&gt;&amp;&#39;"), "the hyperparameter's name, escaped")
        #expect(board.contains("<table class=\"sortable\""))
        #expect(board.contains("<h4>Hyperparameter importance</h4>") && board.contains("class=\"pc best\""),
                "the report's parallel coordinates and importance")
        let page = String(decoding: get(server, "/runs/\(run)").body, as: UTF8.self)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "a class name in the confusion matrix")
        // A name with a slash is one segment (`a%2Fb`), never two; with a `..` part it is refused.
        #expect(get(server, "/sweeps/a%2Fb").status == 404)
        #expect(get(server, "/sweeps/a%2F..%2Fb").status == 400)
    }

    /// The leaderboard page, its table and its JSON read one leaderboard per tick between them; an
    /// answer built from a reused leaderboard lives from that leaderboard's read.
    @Test func theLeaderboardsThreeTargetsShareOneRead() throws {
        let fixture = try Fixture()
        try hostileSweep(fixture)
        let server = try LiveServer(configuration: ServeConfiguration(databasePath: fixture.store.path, port: 8765))
        server.listeningPort.value = 8765
        server.database.boardLifetime = 3_600  // no expiry during the test, however slow the machine
        let path = "/sweeps/" + Pages.segment("sweep|<b>bold</b>&'")
        let before = ProcessInfo.processInfo.systemUptime
        let replies = [path, path + "/table", "/api" + path + "/leaderboard"].map { get(server, $0) }
        #expect(replies.allSatisfy { $0.status == 200 })
        #expect(replies[0].readAt == nil, "the first answer read the leaderboard itself")
        let read = try #require(replies[1].readAt)
        #expect(replies[2].readAt == read && read >= before && read <= ProcessInfo.processInfo.systemUptime)
        #expect(get(server, path + "?top=3").readAt == nil, "another top is another leaderboard")
        server.database.boardLifetime = 0
        #expect(get(server, path + "/table").readAt == nil, "past its lifetime the leaderboard is read again")
    }

    @Test func theScriptIsServedAsScriptAndUsesNoNetwork() throws {
        let fixture = try Fixture()
        try hostileSweep(fixture)
        let server = try LiveServer(configuration: ServeConfiguration(databasePath: fixture.store.path, port: 8765))
        server.listeningPort.value = 8765
        let script = get(server, "/assets/live.js")
        #expect(script.status == 200)
        #expect(script.contentType == "text/javascript; charset=utf-8")
        let text = String(decoding: script.body, as: UTF8.self)
        #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("innerHTML = sweep"))
        #expect(text.contains("textContent"))
    }
}

/// The Server-Sent Events feed: one snapshot per tick, resumed without gaps or replays.
@Suite struct LiveFeedTests {
    @Test func resumesAfterTheLastEventWithoutGapsOrReplays() {
        let feed = LiveFeed(capacity: 4)
        #expect(feed.events(after: nil).isEmpty)
        feed.publish("a")
        feed.publish("a")  // unchanged: no event
        feed.publish("b")
        #expect(feed.tickCount == 3)
        #expect(feed.events(after: nil).map(\.id) == [2], "a new client gets the newest snapshot")
        #expect(feed.events(after: 0).map(\.id) == [1, 2])
        #expect(feed.events(after: 1).map(\.data) == ["b"])
        #expect(feed.events(after: 2).isEmpty, "nothing twice")
        for text in ["c", "d", "e", "f"] { feed.publish(text) }
        #expect(feed.events(after: 2).map(\.id) == [3, 4, 5, 6])
        #expect(feed.events(after: 1).map(\.id) == [6], "older than the kept events: the newest snapshot")
        #expect(feed.events(after: 99).map(\.id) == [6], "an id from an earlier server: the newest snapshot")
        #expect(feed.events(after: 5).first?.wire == "id: 6\ndata: f\n\n")
    }

    /// A stream waits for the feed's next snapshot, not on a timer of its own, and stops
    /// waiting once the feed is closed.
    @Test func streamsWakeAtTheNextSnapshotAndEndWhenTheFeedCloses() async throws {
        let feed = LiveFeed()
        let woke = Flag()
        let waiter = Task {
            let open = await feed.nextTick()
            woke.set()
            return open
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(!woke.isSet, "no snapshot yet: still waiting")
        // Snapshots until the waiter has registered and woken (it may register after the first).
        for _ in 0..<200 where !woke.isSet {
            feed.publish("same")
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(await waiter.value == true)
        let closing = Task { await feed.nextTick() }
        try await Task.sleep(nanoseconds: 20_000_000)
        feed.close()
        #expect(await closing.value == false)
        #expect(await feed.nextTick() == false, "a closed feed does not wait")
    }
}

/// The request checks, one by one.
@Suite struct RequestGuardTests {
    @Test func hostHeaders() {
        let local = RequestGuard(boundHost: "127.0.0.1", port: 8765)
        #expect(local.allowsHost("127.0.0.1:8765") && local.allowsHost("localhost") && local.allowsHost("[::1]:8765"))
        #expect(!local.allowsHost("localhost:8766") && !local.allowsHost("evil.example") && !local.allowsHost(nil))
        #expect(!local.allowsHost("192.168.1.2:8765"))
        let every = RequestGuard(boundHost: "0.0.0.0", port: 8765)
        #expect(every.allowsHost("192.168.1.2:8765") && every.allowsHost("[fe80::1]:8765"))
        #expect(!every.allowsHost("rebind.evil.example:8765"))
    }

    @Test func segmentsDecodeOnceAndRefuseTraversal() throws {
        #expect(try RequestGuard.segments(ofPath: "/sweeps/50%25/table") == ["sweeps", "50%", "table"])
        #expect(try RequestGuard.segments(ofPath: "/") == [])
        #expect(try RequestGuard.segments(ofPath: "/sweeps/a%2Fb%5Cc") == ["sweeps", "a/b\\c"])
        for path in ["/a/../b", "/%2e%2e", "/%252e%252E", "/a%2f..%2fb", "/..%5cb", "/a\\..", "/%2525252e%2525252e", "/a/%00", "x",
                     "/%2e", "/a%252f%252e%252e"] {
            #expect(throws: Refusal.self, "\(path)") { try RequestGuard.segments(ofPath: path) }
        }
    }

    @Test func strictJSON() throws {
        let value = JSONValue.array([.number(.nan), .number(.infinity), .number(-.infinity), .number(0.5), .int(3)])
        #expect(String(decoding: try value.encoded(), as: UTF8.self) == "[null,null,null,0.5,3]")
    }
}
