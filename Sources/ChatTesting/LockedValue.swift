import Synchronization

/// A value shared between tasks (or a test and a closure it hands out) behind a lock, as a class so it can be
/// captured and stored.
public final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// A lock around `value`.
    public init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    /// Runs `body` with the value, holding the lock.
    public func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        self.mutex.withLock { body(&$0) }
    }

    /// A copy of the current value.
    public var value: Value {
        self.mutex.withLock { $0 }
    }
}
