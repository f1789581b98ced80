import ChatCore
import PostgresNIO

/// Private messages kept for registered nicknames while their owners are away.
extension PostgresChatStore {
    /// Keeps a private message; `delivered` says whether the recipient already has it.
    public func storePrivateMessage(_ message: StoredPrivateMessage, delivered: Bool) async throws {
        try await self.execute(
            """
            INSERT INTO private_messages (sender, recipient, text, created_at, delivered)
            VALUES (
                \(message.sender), \(message.recipient.lowercased()), \(message.text), \(message.time), \(delivered)
            )
            """
        )
    }

    /// Undelivered private messages for `recipient`, oldest first, at most `limit`.
    public func undeliveredPrivateMessages(for recipient: String, limit: Int) async throws -> [StoredPrivateMessage] {
        let rows = try await self.client.query(
            """
            SELECT id, sender, text, created_at FROM private_messages
            WHERE recipient = \(recipient.lowercased()) AND NOT delivered ORDER BY id LIMIT \(Self.limit(limit))
            """,
            logger: self.logger
        )
        var messages: [StoredPrivateMessage] = []
        for try await (id, sender, text, time) in rows.decode((Int64, String, String, Int64).self) {
            messages.append(StoredPrivateMessage(id: id, sender: sender, recipient: recipient, text: text, time: time))
        }
        return messages
    }

    /// Marks private messages delivered, by id.
    public func markPrivateMessagesDelivered(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await self.execute("UPDATE private_messages SET delivered = true WHERE id = ANY(\(ids)::bigint[])")
    }

    /// How many private messages wait for `recipient`, in all and from `sender` (0 when `sender` is nil).
    public func countUndeliveredPrivateMessages(
        for recipient: String,
        from sender: String?
    ) async throws -> (all: Int, fromSender: Int) {
        let rows = try await self.client.query(
            """
            SELECT COUNT(*), COUNT(*) FILTER (WHERE lower(sender) = \(sender?.lowercased())::text)
            FROM private_messages WHERE recipient = \(recipient.lowercased()) AND NOT delivered
            """,
            logger: self.logger
        )
        for try await (all, fromSender) in rows.decode((Int64, Int64).self) {
            return (Int(all), Int(fromSender))
        }
        return (0, 0)
    }
}
