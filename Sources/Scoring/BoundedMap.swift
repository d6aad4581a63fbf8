import Foundation

/// A map holding at most ``byteLimit`` bytes of values (as its owner counts them), which starts
/// empty again past it: what the caches of a long-lived reader (`exp serve`) hold, where the
/// next read computes again what was dropped. Safe to share between threads.
public final class BoundedMap<Key: Hashable, Value>: @unchecked Sendable {
    /// The most bytes held.
    public let byteLimit: Int
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    private var bytes = 0

    public init(byteLimit: Int) { self.byteLimit = byteLimit }

    /// The value kept for `key`, if any.
    public subscript(key: Key) -> Value? { lock.withLock { values[key] } }

    /// Keeps `value` for `key`, counted as `size` bytes; empties the map first when it would
    /// hold more than ``byteLimit`` bytes.
    public func keep(_ value: Value, for key: Key, bytes size: Int) {
        lock.withLock {
            if bytes + size > byteLimit { (values, bytes) = ([:], 0) }
            if values.updateValue(value, forKey: key) == nil { bytes += size }
        }
    }

    /// Forgets every value (the database file was replaced).
    public func removeAll() {
        lock.withLock { (values, bytes) = ([:], 0) }
    }

    /// How many values are kept.
    public var count: Int { lock.withLock { values.count } }
}
