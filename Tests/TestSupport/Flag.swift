import Foundation

/// A flag set once by one thread and read by others.
public final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    public init() {}
    /// Sets the flag.
    public func set() { lock.withLock { value = true } }
    /// Whether the flag was set.
    public var isSet: Bool { lock.withLock { value } }
}
