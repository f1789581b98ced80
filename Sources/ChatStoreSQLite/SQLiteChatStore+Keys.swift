import ChatCore
import Foundation
import SQLiteNIO

/// Public keys bound to accounts (SSH logins).
extension SQLiteChatStore {
    /// The public keys bound to the registered `nickname`, oldest first.
    public func keys(of nickname: String) async throws -> [AccountKey] {
        try await self.rows(
            """
            SELECT public_key, fingerprint, added_at_ms FROM account_keys WHERE nickname_key = ?
            ORDER BY added_at_ms, fingerprint
            """,
            [.text(nickname.lowercased())]
        ).compactMap { row in
            guard let publicKey = row.column("public_key")?.string,
                let fingerprint = row.column("fingerprint")?.string, let added = row.column("added_at_ms")?.integer
            else { return nil }
            return AccountKey(
                publicKey: publicKey,
                fingerprint: fingerprint,
                added: Date(timeIntervalSince1970: Double(added) / 1000)
            )
        }
    }

    /// Binds `key` to the registered `nickname`; false when it is bound already or the nickname is not registered.
    public func bindKey(_ key: AccountKey, to nickname: String) async throws -> Bool {
        try await self.changes(
            """
            INSERT OR IGNORE INTO account_keys (nickname_key, fingerprint, public_key, added_at_ms)
            SELECT nickname_key, ?, ?, ? FROM accounts WHERE nickname_key = ?
            """,
            [
                .text(key.fingerprint), .text(key.publicKey),
                .integer(SQLiteInt64((key.added ?? Date()).timeIntervalSince1970 * 1000)),
                .text(nickname.lowercased()),
            ]
        ) == 1
    }

    /// Unbinds the key with `fingerprint` from `nickname`; false when no such key was bound.
    public func unbindKey(fingerprint: String, from nickname: String) async throws -> Bool {
        try await self.changes(
            "DELETE FROM account_keys WHERE nickname_key = ? AND fingerprint = ?",
            [.text(nickname.lowercased()), .text(fingerprint)]
        ) == 1
    }
}
