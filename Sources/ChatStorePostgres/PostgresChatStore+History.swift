import ChatCore
import Logging
import PostgresNIO

/// Room history: batches committed in one transaction, each message numbered in its room.
extension PostgresChatStore {
    /// Stores messages in one transaction and returns their ids, in order.
    public func append(_ messages: [StoredMessage]) async throws -> [Int64] {
        try await self.appendSequenced(messages).map(\.message.id)
    }

    /// Stores messages in one transaction (durable when it returns) and returns them with their ids and per-room
    /// sequence numbers, in the order given.
    ///
    /// Each room's counter row in `room_sequences` is bumped by the batch's count for that room (rooms in one fixed
    /// order, so two nodes never deadlock); the row stays locked until the commit, so within a room ids, sequences
    /// and commits go in one order, and a rolled-back batch leaves no gap.
    ///
    /// With `notification`, the transaction also sends `pg_notify(channel, payload)` with each payload it makes of
    /// the stored messages: listeners hear of them exactly when they are committed, and never of a rolled-back batch.
    public func appendSequenced(
        _ messages: [StoredMessage],
        notification: (channel: String, payloads: @Sendable ([SequencedMessage]) -> [String])? = nil
    ) async throws -> [SequencedMessage] {
        guard !messages.isEmpty else { return [] }
        let rooms = messages.map { $0.room.lowercased() }
        var counts: [String: Int64] = [:]
        for room in rooms { counts[room, default: 0] += 1 }
        let countedRooms = Array(counts.keys)
        let roomCounts = countedRooms.map { counts[$0] ?? 0 }
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { connection in
            var next: [String: Int64] = [:]
            let bumped = try await connection.query(
                """
                INSERT INTO room_sequences (room, last_seq)
                SELECT room, added FROM unnest(\(countedRooms)::text[], \(roomCounts)::bigint[]) AS t(room, added)
                ORDER BY room COLLATE "C"
                ON CONFLICT (room) DO UPDATE SET last_seq = room_sequences.last_seq + excluded.last_seq
                RETURNING room, last_seq
                """,
                logger: logger
            )
            for try await (room, last) in bumped.decode((String, Int64).self) {
                next[room] = last - (counts[room] ?? 0) + 1
            }
            var sequences: [Int64] = []
            sequences.reserveCapacity(messages.count)
            for room in rooms {
                guard let sequence = next[room] else {
                    throw PostgresStoreError.unexpectedAnswer("no sequence for room \(room)")
                }
                sequences.append(sequence)
                next[room] = sequence + 1
            }
            let inserted = try await connection.query(
                """
                INSERT INTO messages (room, room_seq, sender, kind, text, created_at)
                SELECT room, room_seq, sender, kind, text, created_at
                FROM unnest(
                    \(rooms)::text[], \(sequences)::bigint[], \(messages.map(\.sender))::text[],
                    \(messages.map(\.kind.rawValue))::text[], \(messages.map(\.text))::text[],
                    \(messages.map(\.time))::bigint[]
                ) WITH ORDINALITY AS t(room, room_seq, sender, kind, text, created_at, position)
                ORDER BY position
                RETURNING id, room, room_seq
                """,
                logger: logger
            )
            var positions: [String: [Int64: Int]] = [:]
            for (index, room) in rooms.enumerated() { positions[room, default: [:]][sequences[index]] = index }
            var ids = [Int64](repeating: 0, count: messages.count)
            var found = 0
            for try await (id, room, sequence) in inserted.decode((Int64, String, Int64).self) {
                guard let index = positions[room]?[sequence] else { continue }
                ids[index] = id
                found += 1
            }
            guard found == messages.count else {
                throw PostgresStoreError.unexpectedAnswer("\(found) of \(messages.count) messages came back stored")
            }
            let sequenced = messages.indices.map { index in
                var stored = messages[index]
                stored.id = ids[index]
                return SequencedMessage(message: stored, roomSequence: sequences[index])
            }
            if let notification {
                for payload in notification.payloads(sequenced) {
                    try await connection.query(
                        "SELECT pg_notify(\(notification.channel), \(payload))",
                        logger: logger
                    )
                }
            }
            return sequenced
        }
    }

    /// The newest `limit` messages of `room` (oldest first), only those after `afterID`.
    public func recentMessages(in room: String, limit: Int, afterID: Int64) async throws -> [StoredMessage] {
        let rows = try await self.client.query(
            """
            SELECT id, sender, kind, text, created_at FROM messages
            WHERE room = \(room.lowercased()) AND id > \(afterID) ORDER BY id DESC LIMIT \(Self.limit(limit))
            """,
            logger: self.logger
        )
        var messages: [StoredMessage] = []
        for try await (id, sender, kind, text, time) in rows.decode((Int64, String, String, String, Int64).self) {
            let kind = StoredMessage.Kind(rawValue: kind) ?? .message
            messages.append(StoredMessage(id: id, room: room, sender: sender, kind: kind, text: text, time: time))
        }
        return messages.reversed()
    }

    /// The messages of `room` after its sequence number `afterSequence`, oldest first, at most `limit`: how a node
    /// catches up after a lost connection.
    public func messages(in room: String, afterSequence: Int64, limit: Int) async throws -> [SequencedMessage] {
        let rows = try await self.client.query(
            """
            SELECT id, room_seq, sender, kind, text, created_at FROM messages
            WHERE room = \(room.lowercased()) AND room_seq > \(afterSequence) ORDER BY room_seq
            LIMIT \(Self.limit(limit))
            """,
            logger: self.logger
        )
        var messages: [SequencedMessage] = []
        for try await (id, sequence, sender, kind, text, time) in rows.decode(
            (Int64, Int64, String, String, String, Int64).self
        ) {
            let kind = StoredMessage.Kind(rawValue: kind) ?? .message
            let message = StoredMessage(id: id, room: room, sender: sender, kind: kind, text: text, time: time)
            messages.append(SequencedMessage(message: message, roomSequence: sequence))
        }
        return messages
    }

    /// The newest sequence number given out in `room` (0 before its first message); pruning does not lower it.
    public func latestSequence(in room: String) async throws -> Int64 {
        try await self.integer("SELECT last_seq FROM room_sequences WHERE room = \(room.lowercased())") ?? 0
    }

    /// How many messages `room` has after `afterID`.
    public func countMessages(in room: String, afterID: Int64) async throws -> Int {
        Int(
            try await self.integer(
                "SELECT COUNT(*) FROM messages WHERE room = \(room.lowercased()) AND id > \(afterID)"
            ) ?? 0
        )
    }

    /// The newest message id of all rooms (0 when empty).
    public func latestMessageID() async throws -> Int64 {
        try await self.integer("SELECT COALESCE(MAX(id), 0)::bigint FROM messages") ?? 0
    }
}
