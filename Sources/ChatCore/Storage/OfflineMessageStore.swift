/// Private messages: kept for a registered nickname while its owner is offline, delivered page by page at login.
public protocol OfflineMessageStore: Sendable {
    /// Keeps a private message; `delivered` says whether the recipient already has it.
    func storePrivateMessage(_ message: StoredPrivateMessage, delivered: Bool) async throws
    /// Undelivered private messages for `recipient`, oldest first, at most `limit`. They stay undelivered until
    /// ``markPrivateMessagesDelivered(_:)``: only once they reached the recipient.
    func undeliveredPrivateMessages(for recipient: String, limit: Int) async throws -> [StoredPrivateMessage]
    /// Marks private messages delivered, by id.
    func markPrivateMessagesDelivered(_ ids: [Int64]) async throws
    /// How many private messages wait for `recipient`, in all and from `sender` (0 when `sender` is nil).
    func countUndeliveredPrivateMessages(
        for recipient: String,
        from sender: String?
    ) async throws
        -> (all: Int, fromSender: Int)
}

extension OfflineMessageStore {
    /// The first 200 undelivered private messages for `recipient`.
    public func undeliveredPrivateMessages(for recipient: String) async throws -> [StoredPrivateMessage] {
        try await self.undeliveredPrivateMessages(for: recipient, limit: 200)
    }
}
