import Synchronization

/// Identifies one joined connection for the lifetime of the server.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    private static let counter = Atomic<UInt64>(0)

    public let rawValue: UInt64

    /// A new, never before used identifier.
    public static func next() -> SessionID {
        SessionID(rawValue: Self.counter.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    public var description: String { "session-\(self.rawValue)" }
}
