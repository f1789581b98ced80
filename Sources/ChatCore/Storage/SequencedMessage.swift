/// A committed room message with its place in its room: `roomSequence` is 1, 2, 3, … per room (lower-cased), assigned
/// in the transaction that stores the message, so it is gap-free and every node sees one order. The cluster orders
/// deliveries and catches up by it.
public struct SequencedMessage: Sendable, Equatable {
    /// The stored message, its `id` set.
    public var message: StoredMessage
    public var roomSequence: Int64

    public init(message: StoredMessage, roomSequence: Int64) {
        self.message = message
        self.roomSequence = roomSequence
    }
}
