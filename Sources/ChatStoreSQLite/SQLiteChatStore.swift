import ChatCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO

#if canImport(Glibc)
import Glibc
#endif

/// The embedded SQLite database under `--data-dir`: room history, private messages and accounts.
///
/// SQLite runs on NIO's thread pool (sqlite-nio), never on an event loop. The database is in WAL mode with
/// `synchronous=NORMAL`: a committed write survives the server being killed (`kill -9`); only a power cut or OS
/// crash can lose the last commits. Room messages arrive in batches from ``ChatHub`` (group commit), one
/// transaction each.
public final class SQLiteChatStore: ChatStorage {
    /// The database file name inside the data directory.
    public static let fileName = "slashchat.sqlite"

    public let path: String
    private let connection: SQLiteConnection
    private let logger: Logger

    private init(path: String, connection: SQLiteConnection, logger: Logger) {
        self.path = path
        self.connection = connection
        self.logger = logger
    }

    /// Opens (creating if needed) the store in `directory` and brings its schema up to date.
    ///
    /// The database holds private messages and password hashes, so its files are readable by the server's user only
    /// (0600; SQLite gives its `-wal` and `-shm` files the database's mode), and files an older version left readable
    /// by others are tightened.
    public static func open(directory: String, logger: Logger) async throws -> SQLiteChatStore {
        let path = directory + "/" + Self.fileName
        Self.makePrivate(path, logger: logger)
        return try await Self.open(storage: .file(path: path), path: path, logger: logger)
    }

    /// Creates the database file empty with mode 0600 when it is missing, and sets 0600 on it and its companions
    /// when they exist with a wider mode.
    private static func makePrivate(_ path: String, logger: Logger) {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 { Glibc.close(descriptor) }
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            if chmod(file, 0o600) != 0 {
                logger.warning("cannot make the store private (mode 0600)", metadata: ["file": "\(file)"])
            }
        }
    }

    /// A store that lives only in memory (tests, `--data-dir :memory:`).
    public static func inMemory(logger: Logger) async throws -> SQLiteChatStore {
        try await Self.open(storage: .memory, path: ":memory:", logger: logger)
    }

    private static func open(
        storage: SQLiteConnection.Storage,
        path: String,
        logger: Logger
    ) async throws -> SQLiteChatStore {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        let store = SQLiteChatStore(path: path, connection: connection, logger: logger)
        do {
            try await store.prepare()
        } catch let error as StoreError {
            try? await connection.close()
            throw error
        } catch {
            try? await connection.close()
            let text = "\(error)"
            if text.contains("not a database") || text.contains("malformed") || text.contains("NOTADB")
                || text.contains("CORRUPT")
            {
                throw StoreError.notADatabase(path: path)
            }
            throw StoreError.cannotOpen(path: path, reason: text)
        }
        return store
    }

    /// Pragmas, a quick integrity check, then the migrations.
    private func prepare() async throws {
        // Reading the schema version is the first real read: a corrupt file fails here.
        let version = try await self.integer("PRAGMA user_version") ?? 0
        _ = try await self.rows("PRAGMA journal_mode = WAL")
        try await self.execute("PRAGMA synchronous = NORMAL")
        try await self.execute("PRAGMA foreign_keys = ON")
        try await self.execute("PRAGMA busy_timeout = 5000")
        let check = try await self.rows("PRAGMA quick_check").first?.column("quick_check")?.string
        guard check == "ok" else { throw StoreError.notADatabase(path: self.path) }
        guard version <= StoreSchema.latestVersion else {
            throw StoreError.newerSchema(path: self.path, version: Int(version), supported: StoreSchema.latestVersion)
        }
        for target in (Int(version) + 1)...max(Int(version) + 1, StoreSchema.latestVersion)
        where target <= StoreSchema.latestVersion {
            do {
                try await self.execute("BEGIN IMMEDIATE")
                for statement in StoreSchema.migrations[target - 1] {
                    try await self.execute(statement)
                }
                try await self.execute("PRAGMA user_version = \(target)")
                try await self.execute("COMMIT")
                self.logger.info("chat store migrated", metadata: ["version": "\(target)", "path": "\(self.path)"])
            } catch {
                try? await self.execute("ROLLBACK")
                throw StoreError.migrationFailed(version: target, reason: "\(error)")
            }
        }
    }

    /// Closes the database (at shutdown).
    public func close() async {
        do {
            try await self.connection.close()
        } catch {
            self.logger.warning("closing the chat store failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Room history

    /// Stores messages in one statement, so they commit together (one fsync for the whole batch). Returns their ids.
    public func append(_ messages: [StoredMessage]) async throws -> [Int64] {
        guard !messages.isEmpty else { return [] }
        var ids: [Int64] = []
        // SQLite allows 32766 bound values per statement; 6 per row.
        for chunk in stride(from: 0, to: messages.count, by: 5000).map({ messages[$0..<min($0 + 5000, messages.count)] }
        ) {
            let placeholders = Array(repeating: "(?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 5)
            for message in chunk {
                binds += [
                    .text(message.room.lowercased()), .text(message.sender), .text(message.kind.rawValue),
                    .text(message.text), .integer(SQLiteInt64(message.time)),
                ]
            }
            let rows = try await self.rows(
                "INSERT INTO messages (room, sender, kind, text, created_at) VALUES \(placeholders) RETURNING id",
                binds
            )
            ids += rows.compactMap { $0.column("id")?.integer }.map(Int64.init)
        }
        return ids
    }

    /// The newest `limit` messages of `room` (oldest first), optionally only those after `afterID`.
    public func recentMessages(in room: String, limit: Int, afterID: Int64) async throws -> [StoredMessage] {
        let rows = try await self.rows(
            """
            SELECT id, room, sender, kind, text, created_at FROM messages
            WHERE room = ? AND id > ? ORDER BY id DESC LIMIT ?
            """,
            [.text(room.lowercased()), .integer(SQLiteInt64(afterID)), .integer(SQLiteInt64(limit))]
        )
        return rows.reversed().compactMap { row in
            guard let id = row.column("id")?.integer, let sender = row.column("sender")?.string,
                let text = row.column("text")?.string, let time = row.column("created_at")?.integer
            else { return nil }
            let kind = StoredMessage.Kind(rawValue: row.column("kind")?.string ?? "") ?? .message
            return StoredMessage(id: Int64(id), room: room, sender: sender, kind: kind, text: text, time: Int64(time))
        }
    }

    /// How many messages `room` has after `afterID`.
    public func countMessages(in room: String, afterID: Int64) async throws -> Int {
        Int(
            try await self.integer(
                "SELECT COUNT(*) FROM messages WHERE room = ? AND id > ?",
                [.text(room.lowercased()), .integer(SQLiteInt64(afterID))]
            ) ?? 0
        )
    }

    /// The newest message id of all rooms (0 when empty).
    public func latestMessageID() async throws -> Int64 {
        Int64(try await self.integer("SELECT COALESCE(MAX(id), 0) FROM messages") ?? 0)
    }

    /// The bytes the database's live pages take (freed pages, which SQLite reuses, not counted).
    public func usedBytes() async throws -> Int64 {
        let pages = try await self.integer("PRAGMA page_count") ?? 0
        let free = try await self.integer("PRAGMA freelist_count") ?? 0
        let size = try await self.integer("PRAGMA page_size") ?? 4096
        return (pages - free) * size
    }

    /// How many room messages the store holds.
    public func messageCount() async throws -> Int {
        Int(try await self.integer("SELECT COUNT(*) FROM messages") ?? 0)
    }

    /// Deletes the `count` oldest room messages, whatever their room, and the oldest delivered private messages
    /// with them; accounts, bans and undelivered private messages are never touched. Returns how many went.
    public func pruneOldest(_ count: Int) async throws -> Int {
        let rooms = try await self.changes(
            "DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT ?)",
            [.integer(SQLiteInt64(count))]
        )
        let delivered = try await self.changes(
            """
            DELETE FROM private_messages WHERE id IN (SELECT id FROM private_messages WHERE delivered = 1 ORDER BY id \
            LIMIT ?)
            """,
            [.integer(SQLiteInt64(count))]
        )
        return rooms + delivered
    }

    /// Deletes messages older than `maximumAge` and, per room, beyond the newest `maximumPerRoom`. Returns how
    /// many were removed.
    @discardableResult
    public func prune(maximumAge: Duration?, maximumPerRoom: Int?) async throws -> Int {
        var removed = 0
        if let maximumAge {
            let cutoff = Int64(Date().timeIntervalSince1970 * 1000) - Int64(maximumAge.components.seconds) * 1000
            removed += try await self.changes(
                "DELETE FROM messages WHERE created_at < ?",
                [.integer(SQLiteInt64(cutoff))]
            )
            removed += try await self.changes(
                "DELETE FROM private_messages WHERE created_at < ? AND delivered = 1",
                [.integer(SQLiteInt64(cutoff))]
            )
        }
        if let maximumPerRoom {
            removed += try await self.changes(
                """
                DELETE FROM messages WHERE id IN (
                    SELECT id FROM (
                        SELECT id, ROW_NUMBER() OVER (PARTITION BY room ORDER BY id DESC) AS position FROM messages
                    ) WHERE position > ?
                )
                """,
                [.integer(SQLiteInt64(maximumPerRoom))]
            )
        }
        return removed
    }

    // MARK: Private messages

    /// Keeps a private message; `delivered` says whether the recipient already has it.
    public func storePrivateMessage(_ message: StoredPrivateMessage, delivered: Bool) async throws {
        try await self.execute(
            "INSERT INTO private_messages (sender, recipient, text, created_at, delivered) VALUES (?, ?, ?, ?, ?)",
            [
                .text(message.sender), .text(message.recipient.lowercased()), .text(message.text),
                .integer(SQLiteInt64(message.time)), .integer(delivered ? 1 : 0),
            ]
        )
    }

    /// Undelivered private messages for `recipient`, oldest first. They stay undelivered until
    /// ``markPrivateMessagesDelivered(_:)``: only once they reached the recipient's socket.
    public func undeliveredPrivateMessages(for recipient: String, limit: Int) async throws -> [StoredPrivateMessage] {
        let rows = try await self.rows(
            """
            SELECT id, sender, recipient, text, created_at FROM private_messages
            WHERE recipient = ? AND delivered = 0 ORDER BY id LIMIT ?
            """,
            [.text(recipient.lowercased()), .integer(SQLiteInt64(limit))]
        )
        return rows.compactMap { row -> StoredPrivateMessage? in
            guard let id = row.column("id")?.integer, let sender = row.column("sender")?.string,
                let text = row.column("text")?.string, let time = row.column("created_at")?.integer
            else { return nil }
            return StoredPrivateMessage(
                id: Int64(id),
                sender: sender,
                recipient: recipient,
                text: text,
                time: Int64(time)
            )
        }
    }

    /// Marks private messages delivered, by id.
    public func markPrivateMessagesDelivered(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        try await self.execute(
            "UPDATE private_messages SET delivered = 1 WHERE id IN (\(placeholders))",
            ids.map { .integer(SQLiteInt64($0)) }
        )
    }

    /// How many private messages wait for `recipient`, in all and from `sender` (0 when `sender` is nil).
    public func countUndeliveredPrivateMessages(
        for recipient: String,
        from sender: String?
    ) async throws -> (all: Int, fromSender: Int) {
        let row = try await self.rows(
            """
            SELECT COUNT(*) AS total, COALESCE(SUM(lower(sender) = ?), 0) AS mine FROM private_messages
            WHERE recipient = ? AND delivered = 0
            """,
            [sender.map { .text($0.lowercased()) } ?? .null, .text(recipient.lowercased())]
        ).first
        return (row?.column("total")?.integer ?? 0, row?.column("mine")?.integer ?? 0)
    }

    // MARK: Accounts

    /// The account registered for `nickname`, if any.
    public func account(for nickname: String) async throws -> Account? {
        guard
            let row = try await self.rows(
                """
                SELECT nickname, password_hash, last_seen_message_id,
                    banned = 1 AND (banned_until_ms IS NULL OR banned_until_ms > ?) AS banned_now
                FROM accounts WHERE nickname_key = ?
                """,
                [.integer(Self.nowMilliseconds()), .text(nickname.lowercased())]
            ).first,
            let name = row.column("nickname")?.string,
            let hash = row.column("password_hash")?.string
        else { return nil }
        return Account(
            nickname: name,
            passwordHash: hash,
            isBanned: (row.column("banned_now")?.integer ?? 0) != 0,
            lastSeenMessageID: Int64(row.column("last_seen_message_id")?.integer ?? 0)
        )
    }

    /// Registers `nickname`; false when it is already registered.
    public func createAccount(nickname: String, passwordHash: String, lastSeenMessageID: Int64) async throws -> Bool {
        let created = try await self.changes(
            """
            INSERT INTO accounts
                (nickname_key, nickname, password_hash, last_seen_message_id, created_at, last_login_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nickname_key) DO NOTHING
            """,
            [
                .text(nickname.lowercased()), .text(nickname), .text(passwordHash),
                .integer(SQLiteInt64(lastSeenMessageID)), .integer(Self.nowMilliseconds()),
                .integer(Self.nowMilliseconds()),
            ]
        )
        return created == 1
    }

    /// Replaces an account's password hash.
    public func updatePassword(nickname: String, passwordHash: String) async throws {
        try await self.execute(
            "UPDATE accounts SET password_hash = ? WHERE nickname_key = ?",
            [.text(passwordHash), .text(nickname.lowercased())]
        )
    }

    /// Remembers where in the history the owner left off.
    public func updateLastSeen(nickname: String, messageID: Int64) async throws {
        try await self.execute(
            "UPDATE accounts SET last_seen_message_id = MAX(last_seen_message_id, ?) WHERE nickname_key = ?",
            [.integer(SQLiteInt64(messageID)), .text(nickname.lowercased())]
        )
    }

    /// Remembers that the owner just logged in (accounts unused for `--account-expiry-days` are deleted).
    public func recordLogin(nickname: String, at time: Date) async throws {
        try await self.execute(
            "UPDATE accounts SET last_login_at = ? WHERE nickname_key = ?",
            [.integer(SQLiteInt64(time.timeIntervalSince1970 * 1000)), .text(nickname.lowercased())]
        )
    }

    /// Deletes the accounts nobody has logged into for `maximumIdle`, with the private messages waiting for them;
    /// banned accounts stay, so a ban cannot be waited out. Returns how many were deleted.
    public func deleteAccounts(unusedFor maximumIdle: Duration, now: Date) async throws -> Int {
        let cutoff = SQLiteInt64((now.timeIntervalSince1970 - Double(maximumIdle.components.seconds)) * 1000)
        let expired = try await self.rows(
            "DELETE FROM accounts WHERE banned = 0 AND last_login_at < ? RETURNING nickname_key",
            [.integer(cutoff)]
        ).compactMap { $0.column("nickname_key")?.string }
        for key in expired {
            try await self.execute(
                "DELETE FROM private_messages WHERE lower(recipient) = ? AND delivered = 0",
                [.text(key)]
            )
            try await self.execute("DELETE FROM account_keys WHERE nickname_key = ?", [.text(key)])
        }
        return expired.count
    }

    private static func nowMilliseconds() -> SQLiteInt64 {
        SQLiteInt64(Date().timeIntervalSince1970 * 1000)
    }

    // MARK: Ignore lists

    /// The nickname keys the owner of `account` ignores.
    public func ignoredNicknames(by account: String) async throws -> [String] {
        try await self.rows(
            "SELECT ignored_key FROM ignores WHERE owner_key = ? ORDER BY ignored_key",
            [.text(account.lowercased())]
        ).compactMap { $0.column("ignored_key")?.string }
    }

    /// Adds `ignoredKey` to (or removes it from) the ignore list kept with `account`.
    public func setIgnored(_ ignored: Bool, _ ignoredKey: String, by account: String) async throws {
        if ignored {
            try await self.execute(
                "INSERT INTO ignores (owner_key, ignored_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [.text(account.lowercased()), .text(ignoredKey)]
            )
        } else {
            try await self.execute(
                "DELETE FROM ignores WHERE owner_key = ? AND ignored_key = ?",
                [.text(account.lowercased()), .text(ignoredKey)]
            )
        }
    }

    // MARK: Address bans

    /// The address bans still in force.
    public func addressBans(now: Date) async throws -> [AddressBans.Ban] {
        try await self.rows(
            "SELECT address, nickname, until_ms, reason FROM address_bans WHERE until_ms > ?",
            [.integer(SQLiteInt64(now.timeIntervalSince1970 * 1000))]
        ).compactMap { row in
            guard let address = row.column("address")?.string, let nickname = row.column("nickname")?.string,
                let until = row.column("until_ms")?.integer
            else { return nil }
            return AddressBans.Ban(
                address: address,
                nickname: nickname,
                until: Date(timeIntervalSince1970: Double(until) / 1000),
                reason: row.column("reason")?.string
            )
        }
    }

    /// Keeps an address ban.
    public func saveAddressBan(_ ban: AddressBans.Ban) async throws {
        try await self.execute(
            """
            INSERT INTO address_bans (address, nickname, until_ms, reason) VALUES (?, ?, ?, ?)
            ON CONFLICT (address) DO UPDATE SET nickname = excluded.nickname, until_ms = excluded.until_ms,
                reason = excluded.reason
            """,
            [
                .text(ban.address), .text(ban.nickname),
                .integer(SQLiteInt64(ban.until.timeIntervalSince1970 * 1000)), ban.reason.map { .text($0) } ?? .null,
            ]
        )
        try await self.execute(
            "DELETE FROM address_bans WHERE until_ms <= ?",
            [.integer(Self.nowMilliseconds())]
        )
    }

    /// Forgets address bans.
    public func deleteAddressBans(_ addresses: [String]) async throws {
        for address in addresses {
            try await self.execute("DELETE FROM address_bans WHERE address = ?", [.text(address)])
        }
    }

    /// The registered nicknames that are banned.
    public func bannedNicknames() async throws -> [String] {
        try await self.rows(
            """
            SELECT nickname FROM accounts
            WHERE banned = 1 AND (banned_until_ms IS NULL OR banned_until_ms > ?) ORDER BY nickname_key
            """,
            [.integer(Self.nowMilliseconds())]
        ).compactMap { $0.column("nickname")?.string }
    }

    /// Bans (until `until`, or for good when nil) or unbans a registered nickname; false when it is not registered.
    public func setBanned(_ banned: Bool, nickname: String, until: Date?) async throws -> Bool {
        try await self.changes(
            "UPDATE accounts SET banned = ?, banned_until_ms = ? WHERE nickname_key = ?",
            [
                .integer(banned ? 1 : 0),
                until.map { .integer(SQLiteInt64($0.timeIntervalSince1970 * 1000)) } ?? .null,
                .text(nickname.lowercased()),
            ]
        ) == 1
    }

    // MARK: SQL helpers

    func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        try await self.connection.query(sql, binds) { _ in }
    }

    func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await self.connection.query(sql, binds)
    }

    private func integer(_ sql: String, _ binds: [SQLiteData] = []) async throws -> Int64? {
        try await self.rows(sql, binds).first.flatMap { row in row.columns.first?.data.integer }.map(Int64.init)
    }

    /// Runs a statement and returns how many rows it changed.
    func changes(_ sql: String, _ binds: [SQLiteData]) async throws -> Int {
        try await self.rows(sql + " RETURNING 1", binds).count
    }
}
