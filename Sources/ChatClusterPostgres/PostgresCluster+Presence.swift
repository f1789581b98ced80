import ChatCore
import Logging
import PostgresNIO
import Synchronization

/// The presence directory: one `presence` row per nickname online anywhere, written by the node the user is on.
extension PostgresCluster {
    public func claim(_ presence: Presence) async throws -> Bool {
        let client = self.client
        let logger = self.logger
        return try await self.repairingOnFailure {
            let rows = try await client.query(
                """
                INSERT INTO presence (nickname_key, nickname, node, rooms, address, account, away, connected_at)
                VALUES (\(presence.nicknameKey), \(presence.nickname), \(presence.node), \(presence.rooms),
                    \(presence.address), \(presence.account), \(presence.awayMessage), \(presence.connectedAt))
                ON CONFLICT (nickname_key) DO NOTHING
                RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    public func rename(from oldKey: String, to presence: Presence) async throws -> Bool {
        let client = self.client
        let logger = self.logger
        let node = self.nodeName
        return try await self.repairingOnFailure {
            do {
                try await client.withTransaction(logger: logger) { connection in
                    try await connection.query(
                        "DELETE FROM presence WHERE nickname_key = \(oldKey) AND node = \(node)",
                        logger: logger
                    )
                    let rows = try await connection.query(
                        """
                        INSERT INTO presence (nickname_key, nickname, node, rooms, address, account, away, connected_at)
                        VALUES (\(presence.nicknameKey), \(presence.nickname), \(presence.node), \(presence.rooms),
                            \(presence.address), \(presence.account), \(presence.awayMessage), \(presence.connectedAt))
                        ON CONFLICT (nickname_key) DO NOTHING
                        RETURNING 1
                        """,
                        logger: logger
                    )
                    var inserted = false
                    for try await _ in rows { inserted = true }
                    // Taken: roll back, so the old name stays claimed.
                    if !inserted { throw NicknameTaken() }
                }
                return true
            } catch let error as PostgresTransactionError where error.closureError is NicknameTaken {
                return false
            }
        }
    }

    public func release(_ nicknameKey: String) async throws {
        let client = self.client
        let logger = self.logger
        let node = self.nodeName
        try await self.repairingOnFailure {
            try await client.query(
                "DELETE FROM presence WHERE nickname_key = \(nicknameKey) AND node = \(node)",
                logger: logger
            )
        }
    }

    /// A directory change that may have happened even though it failed here (the answer lost, the time limit
    /// passed): the next heartbeat writes this node's part of the directory again.
    @discardableResult
    private func repairingOnFailure<Value: Sendable>(
        _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        do {
            return try await self.limited(body)
        } catch {
            self.directoryNeedsRewrite.store(true, ordering: .relaxed)
            throw error
        }
    }

    public func presence(of name: String) async throws -> Presence? {
        try await self.presenceRows(where: name.lowercased()).first
    }

    public func everyone() async throws -> [Presence] {
        try await self.presenceRows(where: nil)
    }

    /// The rows for one nickname key, or all of them in the order their users connected.
    private func presenceRows(where key: String?) async throws -> [Presence] {
        let client = self.client
        let logger = self.logger
        return try await self.limited {
            let rows = try await client.query(
                """
                SELECT nickname, node, rooms, address, account, away, connected_at FROM presence
                WHERE \(key)::text IS NULL OR nickname_key = \(key)
                ORDER BY connected_at, nickname_key
                """,
                logger: logger
            )
            return try await Self.presences(in: rows)
        }
    }

    /// Writes a change of room, away message or account of this node's user.
    func write(_ presence: Presence) async throws {
        let client = self.client
        let logger = self.logger
        try await self.limited {
            try await client.query(
                """
                UPDATE presence SET nickname = \(presence.nickname), rooms = \(presence.rooms),
                    account = \(presence.account), away = \(presence.awayMessage)
                WHERE nickname_key = \(presence.nicknameKey) AND node = \(presence.node)
                    AND connected_at = \(presence.connectedAt)
                """,
                logger: logger
            )
        }
    }

    /// Writes this node's users back into the directory (after the other nodes expired them while this node had no
    /// database, or after a claim, rename or release whose answer was lost) and deletes this node's rows for anyone
    /// not in `keep` that are older than `takenAt` (younger ones are claims that began after the snapshot). Returns
    /// those whose nickname someone elsewhere took meanwhile, those written back, and the rows deleted.
    func reassert(
        _ local: [Presence],
        keeping keep: Set<String>,
        takenAt: Int64
    ) async throws -> (lost: [Presence], restored: [Presence], orphans: [Presence]) {
        let client = self.client
        let logger = self.logger
        let node = self.nodeName
        let keys = Array(keep)
        return try await self.limited {
            var lost: [Presence] = []
            var restored: [Presence] = []
            for presence in local {
                let rows = try await client.query(
                    """
                    INSERT INTO presence AS p (nickname_key, nickname, node, rooms, address, account, away, connected_at)
                    VALUES (\(presence.nicknameKey), \(presence.nickname), \(node), \(presence.rooms),
                        \(presence.address), \(presence.account), \(presence.awayMessage), \(presence.connectedAt))
                    ON CONFLICT (nickname_key) DO UPDATE SET rooms = excluded.rooms, away = excluded.away,
                        account = excluded.account, nickname = excluded.nickname
                    WHERE p.node = excluded.node
                    RETURNING (xmax = 0) AS inserted
                    """,
                    logger: logger
                )
                var answer: Bool?
                for try await inserted in rows.decode(Bool.self) { answer = inserted }
                switch answer {
                case nil: lost.append(presence)
                case true?: restored.append(presence)
                case false?: break
                }
            }
            let orphans = try await client.query(
                """
                DELETE FROM presence
                WHERE node = \(node) AND NOT (nickname_key = ANY(\(keys)::text[])) AND connected_at < \(takenAt)
                RETURNING nickname, node, rooms, address, account, away, connected_at
                """,
                logger: logger
            )
            return (lost, restored, try await Self.presences(in: orphans))
        }
    }

    /// Marks this node alive; false when its row was gone (the others took it for dead, or it is new).
    func heartbeat() async throws -> Bool {
        let client = self.client
        let logger = self.logger
        let node = self.nodeName
        return try await self.limited {
            let rows = try await client.query(
                "UPDATE nodes SET heartbeat_at = now() WHERE name = \(node) RETURNING 1",
                logger: logger
            )
            for try await _ in rows { return true }
            try await client.query(
                """
                INSERT INTO nodes (name) VALUES (\(node))
                ON CONFLICT (name) DO UPDATE SET heartbeat_at = now()
                """,
                logger: logger
            )
            return false
        }
    }

    /// Removes the nodes silent for longer than ``Options/nodeTimeout`` with their users (and users of nodes with no
    /// row at all), returning those users: exactly one node gets each, and tells everyone.
    func sweepDeadNodes() async throws -> [Presence] {
        let client = self.client
        let logger = self.logger
        let node = self.nodeName
        let timeout =
            Double(self.options.nodeTimeout.components.seconds)
            + Double(self.options.nodeTimeout.components.attoseconds) / 1e18
        return try await self.limited {
            let rows = try await client.query(
                """
                WITH dead AS (
                    DELETE FROM nodes WHERE name <> \(node)
                        AND heartbeat_at < now() - make_interval(secs => \(timeout))
                    RETURNING name
                )
                DELETE FROM presence
                WHERE node <> \(node) AND (node IN (SELECT name FROM dead) OR node NOT IN (SELECT name FROM nodes))
                RETURNING nickname, node, rooms, address, account, away, connected_at
                """,
                logger: logger
            )
            return try await Self.presences(in: rows)
        }
    }

    /// At start-up: this node's row, and the rows a previous run of it left (it was killed): those users are gone.
    func register() async throws -> [Presence] {
        let client = self.client
        let logger = self.logger
        let node = self.nodeName
        return try await self.limited {
            try await client.query(
                """
                INSERT INTO nodes (name) VALUES (\(node))
                ON CONFLICT (name) DO UPDATE SET heartbeat_at = now(), started_at = now()
                """,
                logger: logger
            )
            let rows = try await client.query(
                """
                DELETE FROM presence WHERE node = \(node)
                RETURNING nickname, node, rooms, address, account, away, connected_at
                """,
                logger: logger
            )
            return try await Self.presences(in: rows)
        }
    }

    /// At shutdown: this node and its users leave the directory.
    func deregister() async throws {
        let client = self.client
        let logger = self.logger
        let node = self.nodeName
        try await self.limited {
            try await client.query("DELETE FROM presence WHERE node = \(node)", logger: logger)
            try await client.query("DELETE FROM nodes WHERE name = \(node)", logger: logger)
        }
    }
}

extension PostgresCluster {
    /// The `presence` rows a query returned, its columns `nickname, node, rooms, address, account, away,
    /// connected_at`.
    static func presences(in rows: PostgresRowSequence) async throws -> [Presence] {
        var found: [Presence] = []
        for try await (nickname, node, rooms, address, account, away, connectedAt) in rows.decode(
            (String, String, [String], String, String?, String?, Int64).self
        ) {
            found.append(
                Presence(
                    nickname: nickname,
                    node: node,
                    rooms: rooms,
                    address: address,
                    account: account,
                    awayMessage: away,
                    connectedAt: connectedAt
                )
            )
        }
        return found
    }
}

/// Rolls a rename's transaction back when the new nickname is taken.
private struct NicknameTaken: Error {}
