import NIOCore
import Synchronization

/// One value per event loop, made on first use: what all the connections of a loop share (the drain pass, IRC's
/// keep-alive clock). Event loops live as long as the server, so the table stays as small as the number of loops.
package final class PerEventLoop<Value: Sendable>: Sendable {
    private let values = Mutex<[ObjectIdentifier: Value]>([:])
    private let make: @Sendable (any EventLoop) -> Value

    package init(_ make: @escaping @Sendable (any EventLoop) -> Value) {
        self.make = make
    }

    /// The value of `loop`.
    package func of(_ loop: any EventLoop) -> Value {
        self.values.withLock { values in
            let key = ObjectIdentifier(loop)
            if let existing = values[key] { return existing }
            let value = self.make(loop)
            values[key] = value
            return value
        }
    }
}
