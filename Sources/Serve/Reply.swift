import Foundation

/// An HTTP response before it is handed to the server: status, content type, body and extra
/// headers. Every reply also gets `X-Content-Type-Options: nosniff` and `Cache-Control: no-store`
/// (``LiveServer``).
struct Reply {
    var status: Int
    var contentType: String
    var body: Data
    var headers: [(String, String)] = []

    /// Strict JSON (``JSONValue``).
    static func json(_ value: JSONValue, status: Int = 200) -> Reply {
        let body = (try? value.encoded()) ?? Data("{\"error\":\"cannot encode the response\"}".utf8)
        return Reply(status: status, contentType: "application/json; charset=utf-8", body: body + Data("\n".utf8))
    }

    /// `{"error": message, "status": status}`.
    static func error(_ status: Int, _ message: String, headers: [(String, String)] = []) -> Reply {
        var reply = json(.object([("error", .string(message)), ("status", .int(Int64(status)))]), status: status)
        reply.headers = headers
        return reply
    }
}
