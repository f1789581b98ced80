/// The PostgreSQL store's schema, as an ordered list of migrations. Each runs once, in its own transaction, at
/// start-up under an advisory lock (so nodes that start together take turns); the versions reached are rows of
/// `schema_version`.
///
/// The tables hold what ``SQLiteChatStore``'s do, with the same keys (lower-cased nickname and room keys, times in
/// milliseconds since 1970), plus each room message's `room_seq`: its place in its room, assigned at commit from the
/// room's counter in `room_sequences`, gap-free and never reused, which the cluster orders and catches up by.
enum PostgresSchema {
    /// The key of the advisory lock migrations run under (`slashcht` in ASCII).
    static let migrationLock: Int64 = 0x736c_6173_6863_6874

    static let versionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """

    static let migrations: [[String]] = [
        // 1: everything SQLite's schema 5 holds, and per-room sequences.
        [
            """
            CREATE TABLE messages (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                room TEXT NOT NULL,
                room_seq BIGINT NOT NULL,
                sender TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                CONSTRAINT messages_room_seq UNIQUE (room, room_seq)
            )
            """,
            "CREATE INDEX messages_by_room ON messages (room, id)",
            "CREATE INDEX messages_by_time ON messages (created_at)",
            """
            CREATE TABLE room_sequences (
                room TEXT PRIMARY KEY,
                last_seq BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE private_messages (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                sender TEXT NOT NULL,
                recipient TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                delivered BOOLEAN NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX private_messages_pending ON private_messages (recipient, delivered, id)",
            """
            CREATE TABLE accounts (
                nickname_key TEXT PRIMARY KEY,
                nickname TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                banned BOOLEAN NOT NULL DEFAULT false,
                banned_until_ms BIGINT,
                last_seen_message_id BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                last_login_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE address_bans (
                address TEXT PRIMARY KEY,
                nickname TEXT NOT NULL,
                until_ms BIGINT NOT NULL,
                reason TEXT
            )
            """,
            """
            CREATE TABLE ignores (
                owner_key TEXT NOT NULL,
                ignored_key TEXT NOT NULL,
                PRIMARY KEY (owner_key, ignored_key)
            )
            """,
        ],
        // 2: the cluster's directory: the nodes with their heartbeats, and who is online on which node (one row per
        // nickname, so two nodes racing for one nickname cannot both win).
        [
            """
            CREATE TABLE nodes (
                name TEXT PRIMARY KEY,
                heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                started_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE presence (
                nickname_key TEXT PRIMARY KEY,
                nickname TEXT NOT NULL,
                node TEXT NOT NULL,
                room TEXT NOT NULL,
                address TEXT NOT NULL,
                account TEXT,
                away TEXT,
                connected_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX presence_by_node ON presence (node)",
        ],
        // 3: a user may be in several rooms at once (IRC channels), or in none: the focus first.
        [
            "ALTER TABLE presence ALTER COLUMN room TYPE TEXT[] USING ARRAY[room]",
            "ALTER TABLE presence RENAME COLUMN room TO rooms",
        ],
        // 4: rooms' topics (`/topic`, IRC's TOPIC), one row per room that has one.
        [
            """
            CREATE TABLE room_topics (
                room_key TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                set_by TEXT NOT NULL,
                set_at_ms BIGINT NOT NULL
            )
            """
        ],
        // 5: public keys bound to accounts, for SSH logins without the password; they go with their account.
        [
            """
            CREATE TABLE account_keys (
                nickname_key TEXT NOT NULL REFERENCES accounts (nickname_key) ON DELETE CASCADE,
                fingerprint TEXT NOT NULL,
                public_key TEXT NOT NULL,
                added_at_ms BIGINT NOT NULL,
                PRIMARY KEY (nickname_key, fingerprint)
            )
            """
        ],
    ]

    static var latestVersion: Int { Self.migrations.count }
}
