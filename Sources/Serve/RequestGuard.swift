import Foundation

/// A request refused before it reaches a route, with its HTTP status and a one-line message.
struct Refusal: Error, Equatable {
    var status: Int
    var message: String
    /// Extra headers (`Allow` on 405).
    var headers: [(String, String)] = []

    static func == (a: Refusal, b: Refusal) -> Bool { a.status == b.status && a.message == b.message }

    static func badRequest(_ message: String) -> Refusal { Refusal(status: 400, message: message) }
    static func notFound(_ message: String) -> Refusal { Refusal(status: 404, message: message) }
}

/// The checks every request passes before routing, in this order: the `Host` header (403), the
/// method (405), then the path (400 for traversal, 404 for what is not there).
struct RequestGuard {
    /// The address the server is bound to, as given (`127.0.0.1`, `localhost`, `::1`, `0.0.0.0`).
    var boundHost: String
    /// The port the server listens on.
    var port: Int

    /// Names a browser may send in `Host` for this server: the bound address and `localhost`
    /// (with 127.0.0.1 and ::1). Bound to every interface (`0.0.0.0`, `::`), any IP address is
    /// accepted too, never a DNS name other than localhost: a page served from another name
    /// (DNS rebinding) is refused.
    func allowsHost(_ header: String?) -> Bool {
        guard let header, let (name, port) = Self.splitHost(header) else { return false }
        if let port, port != self.port { return false }
        let lowered = name.lowercased()
        let bound = Self.bare(boundHost.lowercased())
        if ["localhost", "127.0.0.1", "::1", bound].contains(lowered) { return true }
        if ["0.0.0.0", "::"].contains(bound) { return Self.isIPAddress(lowered) }
        return false
    }

    /// `name[:port]` or `[v6]:port` split; nil for a malformed header.
    static func splitHost(_ header: String) -> (String, Int?)? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let name = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (name, nil) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()) else { return nil }
            return (name, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return parts[0].isEmpty ? nil : (String(parts[0]), nil)
        case 2:
            guard !parts[0].isEmpty, let port = Int(parts[1]) else { return nil }
            return (String(parts[0]), port)
        default: return nil
        }
    }

    private static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Only GET and HEAD: the server never writes, so every other method gets 405.
    static func checkMethod(_ method: String) throws {
        guard method == "GET" || method == "HEAD" else {
            throw Refusal(status: 405, message: "\(method) is not allowed: exp serve only reads (GET)",
                          headers: [("Allow", "GET, HEAD")])
        }
    }

    /// The decoded path segments of a request target's path (`/api/runs/3` → `["api", "runs", "3"]`).
    ///
    /// Each segment is percent-decoded once for routing (a sweep named `50%` is `50%25`, one
    /// named `a/b` is `a%2Fb`). Refused (400): a path not starting with `/`; malformed
    /// percent-encoding or invalid UTF-8; control characters; and traversal in any encoding: a
    /// segment that holds a `.` or `..` part between slashes or backslashes, as sent or after any
    /// number of percent-decodings (`..`, `%2e%2e`, `%252e%252e`, `..%2f`, `%5c..%5c`).
    static func segments(ofPath path: String) throws -> [String] {
        guard path.hasPrefix("/") else { throw Refusal.badRequest("request target must be a path starting with /") }
        var segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.last == "" { segments.removeLast() }
        return try segments.map { raw in
            guard let decoded = raw.removingPercentEncoding else {
                throw Refusal.badRequest("path refused: malformed percent-encoding in '\(raw)'")
            }
            if decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                throw Refusal.badRequest("path refused: control characters")
            }
            var text: String? = raw
            for _ in 0..<10 {
                guard let step = text else { break }
                let parts = step.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
                if parts.contains(where: { $0 == "." || $0 == ".." }) {
                    throw Refusal.badRequest("path refused: it tries to leave the site (a . or .. segment, in some encoding)")
                }
                let next = step.removingPercentEncoding
                if next == step { break }
                text = next
            }
            return decoded
        }
    }
}
