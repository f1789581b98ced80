import ChatCore
import Foundation
import PostgresNIO

/// Rooms' topics, shared by every node.
extension PostgresChatStore {
    /// The topic of the room with `roomKey`; nil when it has none.
    public func topic(ofRoom roomKey: String) async throws -> RoomTopic? {
        let rows = try await self.client.query(
            "SELECT text, set_by, set_at_ms FROM room_topics WHERE room_key = \(roomKey)",
            logger: self.logger
        )
        for try await (text, setBy, setAt) in rows.decode((String, String, Int64).self) {
            return RoomTopic(text: text, setBy: setBy, setAt: Date(timeIntervalSince1970: Double(setAt) / 1000))
        }
        return nil
    }

    /// Sets the topic of the room with `roomKey`; nil clears it.
    public func saveTopic(_ topic: RoomTopic?, ofRoom roomKey: String) async throws {
        guard let topic else {
            try await self.execute("DELETE FROM room_topics WHERE room_key = \(roomKey)")
            return
        }
        try await self.execute(
            """
            INSERT INTO room_topics (room_key, text, set_by, set_at_ms)
            VALUES (\(roomKey), \(topic.text), \(topic.setBy), \(Self.milliseconds(topic.setAt)))
            ON CONFLICT (room_key) DO UPDATE SET text = excluded.text, set_by = excluded.set_by,
                set_at_ms = excluded.set_at_ms
            """
        )
    }
}
