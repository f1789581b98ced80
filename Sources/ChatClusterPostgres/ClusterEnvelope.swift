import ChatCore
import ChatProtocol
import Foundation

/// A ``ClusterEvent`` as a notification payload: JSON with the publishing node's name, so a node skips its own.
///
/// PostgreSQL refuses payloads of 8000 bytes or more, and every byte of a notification is copied to every listening
/// node, so room lines travel with their text only while the payload stays well under that (``roomLinesBudget``);
/// beyond it, only the rooms and sequences travel, and the nodes read the lines from the table.
struct ClusterEnvelope: Codable, Sendable {
    /// The node that published it.
    var origin: String
    /// The event; nil in a node's ping to itself (``ping(from:)``).
    var event: ClusterEvent?
    /// Set in a node's ping to itself: hearing it proves the notification connection still works.
    var isPing: Bool?

    init(origin: String, event: ClusterEvent) {
        self.origin = origin
        self.event = event
    }

    /// The payload of a node's ping to itself, sent with every heartbeat.
    static func ping(from origin: String) -> String {
        var envelope = ClusterEnvelope(origin: origin, event: .announcement(""))
        envelope.event = nil
        envelope.isPing = true
        return Self.encode(envelope)
    }

    /// The largest payload a notification carries.
    static let payloadLimit = 7_900
    /// The largest payload room lines travel in with their text.
    static let roomLinesBudget = 6_000

    /// The payload for `event`, or nil when it is too big for a notification. A command's block too big is cut,
    /// its last lines replaced by one saying so, rather than lost for the other nodes.
    static func payload(_ event: ClusterEvent, from origin: String) -> String? {
        let text = Self.encode(ClusterEnvelope(origin: origin, event: event))
        if text.utf8.count <= Self.payloadLimit { return text }
        guard case .roomEvent(var roomEvent) = event, var lines = roomEvent.event.lines, !lines.isEmpty else {
            return nil
        }
        while !lines.isEmpty {
            lines.removeLast(max(1, lines.count / 8))
            roomEvent.event.lines = lines + [Self.cutLine]
            let cut = Self.encode(ClusterEnvelope(origin: origin, event: .roomEvent(roomEvent)))
            if cut.utf8.count <= Self.payloadLimit { return cut }
        }
        return nil
    }

    /// The line that ends a block cut to fit a notification.
    static let cutLine = "(cut here: the rest was too long to reach the other nodes)"

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
