import ChatCore
import Foundation
import PostgresNIO

/// What ``StoreMaintenance`` needs: the live size, the message count and pruning.
extension PostgresChatStore {
    /// The bytes the store's live rows take (`pg_column_size` of each row of its tables). Unlike the database's file
    /// size, it drops as soon as rows are deleted, so the size cap's pruning stops once enough is gone (PostgreSQL
    /// reuses the space after its autovacuum; indexes are not counted).
    public func usedBytes() async throws -> Int64 {
        try await self.integer(
            """
            SELECT (SELECT COALESCE(SUM(pg_column_size(m.*)), 0) FROM messages m)
                + (SELECT COALESCE(SUM(pg_column_size(p.*)), 0) FROM private_messages p)
                + (SELECT COALESCE(SUM(pg_column_size(a.*)), 0) FROM accounts a)
                + (SELECT COALESCE(SUM(pg_column_size(i.*)), 0) FROM ignores i)
                + (SELECT COALESCE(SUM(pg_column_size(b.*)), 0) FROM address_bans b)
                + (SELECT COALESCE(SUM(pg_column_size(r.*)), 0) FROM room_sequences r)
                + 8192
            """
        ) ?? 0
    }

    /// How many room messages the store holds.
    public func messageCount() async throws -> Int {
        Int(try await self.integer("SELECT COUNT(*) FROM messages") ?? 0)
    }

    /// Deletes the `count` oldest room messages, whatever their room, and the `count` oldest delivered private
    /// messages with them; accounts, bans and undelivered private messages are never touched. Returns how many went.
    public func pruneOldest(_ count: Int) async throws -> Int {
        Int(
            try await self.integer(
                """
                WITH rooms AS (
                    DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT \(Self.limit(count)))
                    RETURNING 1
                ), delivered AS (
                    DELETE FROM private_messages WHERE id IN (
                        SELECT id FROM private_messages WHERE delivered ORDER BY id LIMIT \(Self.limit(count))
                    ) RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM rooms) + (SELECT COUNT(*) FROM delivered)
                """
            ) ?? 0
        )
    }

    /// Deletes messages (and delivered private messages) older than `maximumAge` and, per room, beyond the newest
    /// `maximumPerRoom`. Returns how many were removed.
    @discardableResult
    public func prune(maximumAge: Duration?, maximumPerRoom: Int?) async throws -> Int {
        var removed: Int64 = 0
        if let maximumAge {
            let cutoff = Int64(Date().timeIntervalSince1970 * 1000) - Int64(maximumAge.components.seconds) * 1000
            removed +=
                try await self.integer(
                    """
                    WITH rooms AS (DELETE FROM messages WHERE created_at < \(cutoff) RETURNING 1),
                    delivered AS (
                        DELETE FROM private_messages WHERE created_at < \(cutoff) AND delivered RETURNING 1
                    )
                    SELECT (SELECT COUNT(*) FROM rooms) + (SELECT COUNT(*) FROM delivered)
                    """
                ) ?? 0
        }
        if let maximumPerRoom {
            removed +=
                try await self.integer(
                    """
                    WITH gone AS (
                        DELETE FROM messages WHERE id IN (
                            SELECT id FROM (
                                SELECT id, ROW_NUMBER() OVER (PARTITION BY room ORDER BY id DESC) AS position
                                FROM messages
                            ) AS ranked WHERE position > \(maximumPerRoom)
                        ) RETURNING 1
                    )
                    SELECT COUNT(*) FROM gone
                    """
                ) ?? 0
        }
        return Int(removed)
    }
}
