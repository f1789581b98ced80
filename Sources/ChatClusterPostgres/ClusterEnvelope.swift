import ChatCore
import Foundation

/// A ``ClusterEvent`` as a notification payload: JSON with the publishing node's name, so a node skips its own.
///
/// PostgreSQL refuses payloads of 8000 bytes or more, and every byte of a notification is copied to every listening
/// node, so room lines travel with their text only while the payload stays well under that (``roomLinesBudget``);
/// beyond it, only the rooms and sequences travel, and the nodes read the lines from the table.
struct ClusterEnvelope: Codable, Sendable {
    /// The node that published it.
    var origin: String
    var event: ClusterEvent

    /// The largest payload a notification carries.
    static let payloadLimit = 7_900
    /// The largest payload room lines travel in with their text.
    static let roomLinesBudget = 6_000

    /// The payload for `event`, or nil when it is too big for a notification.
    static func payload(_ event: ClusterEvent, from origin: String) -> String? {
        let text = Self.encode(ClusterEnvelope(origin: origin, event: event))
        return text.utf8.count <= Self.payloadLimit ? text : nil
    }

    /// The payloads announcing committed room lines: one, with the lines' text when it fits ``roomLinesBudget``;
    /// a batch spanning more rooms than one payload can name is announced in several.
    static func roomLinesPayloads(_ committed: [SequencedMessage], from origin: String) -> [String] {
        var rooms: [ClusterEvent.RoomLines] = []
        for message in committed {
            let key = message.message.room.lowercased()
            if let last = rooms.indices.last, rooms[last].room == key {
                rooms[last].last = message.roomSequence
                rooms[last].lines?.append(ClusterEvent.Line(message))
            } else if let index = rooms.firstIndex(where: { $0.room == key }) {
                // Rooms interleaved in one batch: each room's lines are still in its order.
                rooms[index].last = message.roomSequence
                rooms[index].lines?.append(ClusterEvent.Line(message))
            } else {
                rooms.append(
                    ClusterEvent.RoomLines(
                        room: key,
                        first: message.roomSequence,
                        last: message.roomSequence,
                        lines: [ClusterEvent.Line(message)]
                    )
                )
            }
        }
        let full = Self.encode(ClusterEnvelope(origin: origin, event: .roomLines(rooms)))
        if full.utf8.count <= Self.roomLinesBudget { return [full] }
        for index in rooms.indices { rooms[index].lines = nil }
        // A room's name is at most 32 characters, so 60 of them with their sequences stay far below the limit.
        return stride(from: 0, to: rooms.count, by: 60).map { start in
            let chunk = Array(rooms[start..<min(start + 60, rooms.count)])
            return Self.encode(ClusterEnvelope(origin: origin, event: .roomLines(chunk)))
        }
    }

    /// The envelope in `payload`, nil when it is not one (a payload from a newer or foreign publisher).
    static func decode(_ payload: String) -> ClusterEnvelope? {
        try? JSONDecoder().decode(ClusterEnvelope.self, from: Data(payload.utf8))
    }

    private static func encode(_ envelope: ClusterEnvelope) -> String {
        // Encoding plain values cannot fail.
        String(decoding: (try? JSONEncoder().encode(envelope)) ?? Data(), as: UTF8.self)
    }
}
