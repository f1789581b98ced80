/// Room history: what ``ChatHub`` commits before anyone sees it, and replays on joining.
///
/// The hub calls ``append(_:)`` once per batch of room lines (group commit) and delivers the batch only when it
/// returns: an implementation must have made the whole batch durable, in one transaction, by then.
public protocol HistoryStore: Sendable {
    /// Stores messages together, in one transaction. Returns their ids, in order.
    func append(_ messages: [StoredMessage]) async throws -> [Int64]
    /// The newest `limit` messages of `room` (oldest first), only those after `afterID`.
    func recentMessages(in room: String, limit: Int, afterID: Int64) async throws -> [StoredMessage]
    /// How many messages `room` has after `afterID`.
    func countMessages(in room: String, afterID: Int64) async throws -> Int
    /// The newest message id of all rooms (0 when empty).
    func latestMessageID() async throws -> Int64
}

extension HistoryStore {
    /// The newest `limit` messages of `room`, oldest first.
    public func recentMessages(in room: String, limit: Int) async throws -> [StoredMessage] {
        try await self.recentMessages(in: room, limit: limit, afterID: 0)
    }
}
