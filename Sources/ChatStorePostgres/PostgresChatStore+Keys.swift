import ChatCore
import Foundation
import PostgresNIO

/// Public keys bound to accounts (SSH logins), shared by every node.
extension PostgresChatStore {
    /// The public keys bound to the registered `nickname`, oldest first.
    public func keys(of nickname: String) async throws -> [AccountKey] {
        let rows = try await self.client.query(
            """
            SELECT public_key, fingerprint, added_at_ms FROM account_keys WHERE nickname_key = \(nickname.lowercased())
            ORDER BY added_at_ms, fingerprint COLLATE "C"
            """,
            logger: self.logger
        )
        var keys: [AccountKey] = []
        for try await (publicKey, fingerprint, added) in rows.decode((String, String, Int64).self) {
            keys.append(
                AccountKey(
                    publicKey: publicKey,
                    fingerprint: fingerprint,
                    added: Date(timeIntervalSince1970: Double(added) / 1000)
                )
            )
        }
        return keys
    }

    /// Binds `key` to the registered `nickname`; false when it is bound already or the nickname is not registered.
    public func bindKey(_ key: AccountKey, to nickname: String) async throws -> Bool {
        try await self.integer(
            """
            WITH bound AS (
                INSERT INTO account_keys (nickname_key, fingerprint, public_key, added_at_ms)
                SELECT nickname_key, \(key.fingerprint), \(key.publicKey), \(Self.milliseconds(key.added ?? Date()))
                FROM accounts WHERE nickname_key = \(nickname.lowercased())
                ON CONFLICT DO NOTHING RETURNING 1
            )
            SELECT COUNT(*) FROM bound
            """
        ) == 1
    }

    /// Unbinds the key with `fingerprint` from `nickname`; false when no such key was bound.
    public func unbindKey(fingerprint: String, from nickname: String) async throws -> Bool {
        try await self.integer(
            """
            WITH unbound AS (
                DELETE FROM account_keys
                WHERE nickname_key = \(nickname.lowercased()) AND fingerprint = \(fingerprint) RETURNING 1
            )
            SELECT COUNT(*) FROM unbound
            """
        ) == 1
    }
}
