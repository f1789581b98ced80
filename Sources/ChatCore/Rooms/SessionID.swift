import Synchronization

/// Identifies one joined connection, unique across every server process that shares rooms: the process's node
/// id and a counter within it.
///
/// Ids say nothing about order: who joined before whom is the hub's join sequence (``Member/joinSequence``).
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    private static let counter = Atomic<UInt64>(0)

    /// This process's node id: random at start, so two processes (a cluster's nodes, a restart) never hand out
    /// the same id; a cluster may give each node a fixed one instead.
    public static let localNode = UInt32.random(in: 1...UInt32.max)

    /// The process that created the session.
    public let node: UInt32
    /// Counts up within the node.
    public let serial: UInt64

    public init(node: UInt32, serial: UInt64) {
        self.node = node
        self.serial = serial
    }

    /// A new, never before used identifier of this node.
    public static func next() -> SessionID {
        SessionID(node: Self.localNode, serial: Self.counter.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    public var description: String { "session-\(String(self.node, radix: 16))-\(self.serial)" }
}
