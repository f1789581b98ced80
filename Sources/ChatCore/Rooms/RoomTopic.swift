import ChatProtocol
import Foundation

/// What a room is about, set with `/topic` or IRC's `TOPIC`: kept with the room in the store, shown to whoever joins.
public struct RoomTopic: Sendable, Equatable {
    /// At most this many characters (IRC's `TOPICLEN`): a topic is a line, not a wall of text.
    public static let maximumLength = 300

    public var text: String
    /// The nickname that set it.
    public var setBy: String
    public var setAt: Date

    public init(text: String, setBy: String, setAt: Date) {
        self.text = text
        self.setBy = setBy
        self.setAt = setAt
    }

    /// `* Topic of ROOM: TOPIC (set by NICK)` (IRC: 332 and 333), as whoever enters `room` or asks is told.
    public func announcement(in room: RoomName) -> ChatEvent {
        .topic(of: room.name, self.text, setBy: self.setBy, at: Int64(self.setAt.timeIntervalSince1970 * 1000))
    }
}
