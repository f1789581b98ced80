import Synchronization

/// A value shared between tasks (or a test and a closure it hands out) behind a lock.
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        self.mutex.withLock { body(&$0) }
    }

    var value: Value {
        self.mutex.withLock { $0 }
    }
}
