import ChatCore
import Foundation
import PostgresNIO

/// Registered nicknames, keyed by their lower-cased form, with their ignore lists and nickname bans.
extension PostgresChatStore {
    /// The account registered for `nickname` (any case), if any.
    public func account(for nickname: String) async throws -> Account? {
        let rows = try await self.client.query(
            """
            SELECT nickname, password_hash, last_seen_message_id,
                banned AND (banned_until_ms IS NULL OR banned_until_ms > \(Self.nowMilliseconds())) AS banned_now
            FROM accounts WHERE nickname_key = \(nickname.lowercased())
            """,
            logger: self.logger
        )
        for try await (name, hash, lastSeen, banned) in rows.decode((String, String, Int64, Bool).self) {
            return Account(nickname: name, passwordHash: hash, isBanned: banned, lastSeenMessageID: lastSeen)
        }
        return nil
    }

    /// Registers `nickname`; false when it is already registered (in any case).
    public func createAccount(nickname: String, passwordHash: String, lastSeenMessageID: Int64) async throws -> Bool {
        let now = Self.nowMilliseconds()
        return try await self.integer(
            """
            WITH created AS (
                INSERT INTO accounts
                    (nickname_key, nickname, password_hash, last_seen_message_id, created_at, last_login_at)
                VALUES (\(nickname.lowercased()), \(nickname), \(passwordHash), \(lastSeenMessageID), \(now), \(now))
                ON CONFLICT (nickname_key) DO NOTHING RETURNING 1
            )
            SELECT COUNT(*) FROM created
            """
        ) == 1
    }

    /// Replaces an account's password hash.
    public func updatePassword(nickname: String, passwordHash: String) async throws {
        try await self.execute(
            "UPDATE accounts SET password_hash = \(passwordHash) WHERE nickname_key = \(nickname.lowercased())"
        )
    }

    /// Remembers where in the history the owner left off (never going back).
    public func updateLastSeen(nickname: String, messageID: Int64) async throws {
        try await self.execute(
            """
            UPDATE accounts SET last_seen_message_id = GREATEST(last_seen_message_id, \(messageID))
            WHERE nickname_key = \(nickname.lowercased())
            """
        )
    }

    /// Remembers that the owner logged in at `time`.
    public func recordLogin(nickname: String, at time: Date) async throws {
        try await self.execute(
            """
            UPDATE accounts SET last_login_at = \(Self.milliseconds(time)) WHERE nickname_key = \(nickname.lowercased())
            """
        )
    }

    /// Deletes the accounts nobody has logged into for `maximumIdle` before `now`, with the private messages
    /// waiting for them, in one statement; banned accounts stay. Returns how many were deleted.
    public func deleteAccounts(unusedFor maximumIdle: Duration, now: Date) async throws -> Int {
        let cutoff = Int64((now.timeIntervalSince1970 - Double(maximumIdle.components.seconds)) * 1000)
        return Int(
            try await self.integer(
                """
                WITH expired AS (
                    DELETE FROM accounts WHERE NOT banned AND last_login_at < \(cutoff) RETURNING nickname_key
                ), waiting AS (
                    DELETE FROM private_messages
                    WHERE NOT delivered AND lower(recipient) IN (SELECT nickname_key FROM expired)
                )
                SELECT COUNT(*) FROM expired
                """
            ) ?? 0
        )
    }

    // MARK: Ignore lists

    /// The nickname keys the owner of `account` ignores, in byte order (as SQLite sorts them).
    public func ignoredNicknames(by account: String) async throws -> [String] {
        let rows = try await self.client.query(
            """
            SELECT ignored_key FROM ignores WHERE owner_key = \(account.lowercased()) ORDER BY ignored_key COLLATE "C"
            """,
            logger: self.logger
        )
        var keys: [String] = []
        for try await key in rows.decode(String.self) { keys.append(key) }
        return keys
    }

    /// Adds `ignoredKey` to (or removes it from) the ignore list kept with `account`.
    public func setIgnored(_ ignored: Bool, _ ignoredKey: String, by account: String) async throws {
        if ignored {
            try await self.execute(
                """
                INSERT INTO ignores (owner_key, ignored_key) VALUES (\(account.lowercased()), \(ignoredKey))
                ON CONFLICT DO NOTHING
                """
            )
        } else {
            try await self.execute(
                "DELETE FROM ignores WHERE owner_key = \(account.lowercased()) AND ignored_key = \(ignoredKey)"
            )
        }
    }

    // MARK: Nickname bans

    /// The registered nicknames that are banned now, in key byte order.
    public func bannedNicknames() async throws -> [String] {
        let rows = try await self.client.query(
            """
            SELECT nickname FROM accounts
            WHERE banned AND (banned_until_ms IS NULL OR banned_until_ms > \(Self.nowMilliseconds()))
            ORDER BY nickname_key COLLATE "C"
            """,
            logger: self.logger
        )
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    /// Bans (until `until`, or for good when nil) or unbans a registered nickname; false when it is not registered.
    public func setBanned(_ banned: Bool, nickname: String, until: Date?) async throws -> Bool {
        try await self.integer(
            """
            WITH changed AS (
                UPDATE accounts SET banned = \(banned), banned_until_ms = \(until.map(Self.milliseconds))
                WHERE nickname_key = \(nickname.lowercased()) RETURNING 1
            )
            SELECT COUNT(*) FROM changed
            """
        ) == 1
    }
}
