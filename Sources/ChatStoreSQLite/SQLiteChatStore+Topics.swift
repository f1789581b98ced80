import ChatCore
import Foundation
import SQLiteNIO

/// Rooms' topics.
extension SQLiteChatStore {
    /// The topic of the room with `roomKey`; nil when it has none.
    public func topic(ofRoom roomKey: String) async throws -> RoomTopic? {
        try await self.rows(
            "SELECT text, set_by, set_at_ms FROM room_topics WHERE room_key = ?",
            [.text(roomKey)]
        ).first.flatMap { row in
            guard let text = row.column("text")?.string, let setBy = row.column("set_by")?.string,
                let setAt = row.column("set_at_ms")?.integer
            else { return nil }
            return RoomTopic(text: text, setBy: setBy, setAt: Date(timeIntervalSince1970: Double(setAt) / 1000))
        }
    }

    /// Sets the topic of the room with `roomKey`; nil clears it.
    public func saveTopic(_ topic: RoomTopic?, ofRoom roomKey: String) async throws {
        guard let topic else {
            try await self.execute("DELETE FROM room_topics WHERE room_key = ?", [.text(roomKey)])
            return
        }
        try await self.execute(
            """
            INSERT INTO room_topics (room_key, text, set_by, set_at_ms) VALUES (?, ?, ?, ?)
            ON CONFLICT (room_key) DO UPDATE SET text = excluded.text, set_by = excluded.set_by,
                set_at_ms = excluded.set_at_ms
            """,
            [
                .text(roomKey), .text(topic.text), .text(topic.setBy),
                .integer(SQLiteInt64(topic.setAt.timeIntervalSince1970 * 1000)),
            ]
        )
    }
}
