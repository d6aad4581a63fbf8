import Foundation
import Hummingbird

/// `GET /api/events`: the sweeps' status counts as Server-Sent Events (``LiveFeed``).
///
/// Each event's data is one line of JSON, `{"database": ..., "sweeps": [...]}`, the shape of
/// `/api/sweeps` (`sweeps` is empty while the database is missing). A client resumes with the
/// `Last-Event-ID` header (browsers send it when they reconnect) or `?last_event_id=N`. A
/// stream ends after ``maximumSeconds``; the browser reconnects and resumes.
enum EventStream {
    static let maximumSeconds = 300.0

    static func reply(feed: LiveFeed, query: QueryParameters, lastEventID header: String?) throws -> Reply {
        try query.allowOnly(["last_event_id"])
        var lastID: Int?
        if let text = query.values["last_event_id"] ?? header {
            guard let id = Int(text.trimmingCharacters(in: .whitespaces)), id >= 0 else {
                throw Refusal.badRequest("Last-Event-ID \(text): expected a whole number from 0")
            }
            lastID = id
        }
        let resumeAfter = lastID
        let stream: @Sendable (inout any ResponseBodyWriter) async throws -> Void = { writer in
            var last = resumeAfter
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            let end = Date().addingTimeInterval(maximumSeconds)
            var quiet = 0
            while Date() < end {
                let events = feed.events(after: last)
                if events.isEmpty {
                    quiet += 1
                    // A comment every 15 ticks (seconds) keeps proxies from closing an idle stream.
                    if quiet % 15 == 0 { try await writer.write(ByteBuffer(string: ": idle\n\n")) }
                    guard await feed.nextTick() else { break }
                    continue
                }
                quiet = 0
                try await writer.write(ByteBuffer(string: events.map(\.wire).joined()))
                last = events.last!.id
            }
            try await writer.finish(nil)
        }
        return Reply(status: 200, contentType: "text/event-stream; charset=utf-8", body: Data(), stream: stream)
    }
}
