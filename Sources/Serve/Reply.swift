import Foundation
import Hummingbird

/// An HTTP response before it is handed to the server: status, content type, body and extra
/// headers. Every reply also gets `X-Content-Type-Options: nosniff` and `Cache-Control: no-store`
/// (``LiveServer``).
struct Reply {
    var status: Int
    var contentType: String
    var body: Data
    var headers: [(String, String)] = []
    /// A body written as it is produced (Server-Sent Events) instead of ``body``.
    var stream: (@Sendable (inout any ResponseBodyWriter) async throws -> Void)? = nil
    /// When the data in ``body`` was read (`ProcessInfo.systemUptime`), if it was read for an
    /// earlier answer (a shared leaderboard): ``ReplyCache`` then counts the answer's lifetime
    /// from that read instead of from when the answer was ready.
    var readAt: TimeInterval? = nil
    /// For an answer that stays right while its data is unchanged (a finished run's page, curves
    /// and JSON): whether it still is, a blocking database read. ``ReplyCache`` keeps such an
    /// answer past its lifetime and asks this once a lifetime instead of computing it again.
    var stillCurrent: (@Sendable () -> Bool)? = nil

    /// Strict JSON (``JSONValue``).
    static func json(_ value: JSONValue, status: Int = 200) -> Reply {
        let body = (try? value.encoded()) ?? Data("{\"error\":\"cannot encode the response\"}".utf8)
        return Reply(status: status, contentType: "application/json; charset=utf-8", body: body + Data("\n".utf8))
    }

    /// An HTML page, with a Content-Security-Policy that lets it load nothing from another site:
    /// its script and connections come from this server only.
    static func page(_ html: String, status: Int = 200) -> Reply {
        Reply(status: status, contentType: "text/html; charset=utf-8", body: Data(html.utf8), headers: [
            ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
            ("Referrer-Policy", "no-referrer"),
        ])
    }

    /// `{"error": message, "status": status}`.
    static func error(_ status: Int, _ message: String, headers: [(String, String)] = []) -> Reply {
        var reply = json(.object([("error", .string(message)), ("status", .int(Int64(status)))]), status: status)
        reply.headers = headers
        return reply
    }
}
