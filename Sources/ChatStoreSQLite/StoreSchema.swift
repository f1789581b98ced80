/// The store's schema, as an ordered list of migrations. Each runs once, in order, at start-up; the version
/// reached is kept in SQLite's `user_version`.
enum StoreSchema {
    static let migrations: [[String]] = [
        // 1: history, private messages, accounts.
        [
            """
            CREATE TABLE messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                room TEXT NOT NULL,
                sender TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at INTEGER NOT NULL
            )
            """,
            "CREATE INDEX messages_by_room ON messages (room, id)",
            "CREATE INDEX messages_by_time ON messages (created_at)",
            """
            CREATE TABLE private_messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                sender TEXT NOT NULL,
                recipient TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                delivered INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX private_messages_pending ON private_messages (recipient, delivered, id)",
            """
            CREATE TABLE accounts (
                nickname_key TEXT PRIMARY KEY,
                nickname TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                banned INTEGER NOT NULL DEFAULT 0,
                last_seen_message_id INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            )
            """,
        ],
        // 2: when each account last logged in, for --account-expiry-days.
        [
            "ALTER TABLE accounts ADD COLUMN last_login_at INTEGER NOT NULL DEFAULT 0",
            "UPDATE accounts SET last_login_at = created_at",
        ],
        // 3: the console's address bans (guests), so a restart keeps them.
        [
            """
            CREATE TABLE address_bans (
                address TEXT PRIMARY KEY,
                nickname TEXT NOT NULL,
                until_ms INTEGER NOT NULL,
                reason TEXT
            )
            """
        ],
        // 4: ignore lists of registered users, kept with the account.
        [
            """
            CREATE TABLE ignores (
                owner_key TEXT NOT NULL,
                ignored_key TEXT NOT NULL,
                PRIMARY KEY (owner_key, ignored_key)
            )
            """
        ],
        // 5: when an account's ban ends (NULL: never), so `ban alice 10m` is not for good.
        [
            "ALTER TABLE accounts ADD COLUMN banned_until_ms INTEGER"
        ],
        // 6: rooms' topics (`/topic`, IRC's TOPIC), one row per room that has one.
        [
            """
            CREATE TABLE room_topics (
                room_key TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                set_by TEXT NOT NULL,
                set_at_ms INTEGER NOT NULL
            )
            """
        ],
        // 7: public keys bound to accounts, for SSH logins without the password.
        [
            """
            CREATE TABLE account_keys (
                nickname_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                public_key TEXT NOT NULL,
                added_at_ms INTEGER NOT NULL,
                PRIMARY KEY (nickname_key, fingerprint)
            )
            """
        ],
    ]

    static var latestVersion: Int { Self.migrations.count }
}
