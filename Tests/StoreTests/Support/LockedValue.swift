import Synchronization

/// A value shared between tasks behind a lock, as a class so it can be captured and stored.
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
