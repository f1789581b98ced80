/// What a notice is about, typed, so a door with a dialect of its own (IRC: `JOIN`, `PART`, `NICK`, `QUIT`) renders
/// it from the facts instead of parsing the English sentence plain and JSON clients are shown. Carried beside the
/// event's text (``ChatEvent/occurrence``), never in the wire formats: plain and JSON render exactly as before.
public enum ChatOccurrence: Codable, Sendable, Equatable {
    /// `NICK joined ROOM` (or `NICK is back in ROOM`, after a node got its database back).
    case joined(nickname: String, room: String)
    /// `NICK left ROOM (REASON)`: the user left the chat (quit, kicked, connection lost, node gone).
    case left(nickname: String, room: String, reason: String?)
    /// `NICK left ROOM (REASON)`: the user left this one room and stays in the chat (an IRC PART).
    case parted(nickname: String, room: String, reason: String?)
    /// `NICK left FROM for TO`: the user moved to another room.
    case moved(nickname: String, from: String, to: String)
    /// `OLD is now known as NEW`.
    case renamed(from: String, to: String)
    /// `37 joined and 4 left ROOM`: a big room's comings and goings, summed up.
    case comingsAndGoings(room: String, arrivals: Int, departures: Int)
    /// `server: TEXT`, the console's announcement.
    case announcement(String)
    /// `NICK is away: MESSAGE`, the answer to a private message to someone away.
    case away(nickname: String, message: String)
    /// `NICK set the topic of ROOM: TOPIC` (`NICK cleared the topic of ROOM` when `topic` is nil).
    case topicChanged(nickname: String, room: String, topic: String?)
    /// `Topic of ROOM: TOPIC (set by NICK)`, told to whoever enters a room that has one; `setAt` in milliseconds
    /// since 1970.
    case topic(room: String, topic: String, setBy: String, setAt: Int64)
    /// `-NICK- TEXT`: an IRC NOTICE to a room, said to everyone in it but never kept in its history nor answered.
    case roomNotice(nickname: String, room: String, text: String)
    /// `NICK made bob an operator of ROOM` and the like: a change of the room's modes (IRC's channel MODE).
    case modeChanged(nickname: String, room: String, change: RoomModeChange)
}

/// The notices the hub sends, made in one place: each one's words for plain and JSON clients and its typed
/// ``ChatOccurrence`` for the doors that render their own.
extension ChatEvent {
    /// `* NICK joined ROOM`.
    public static func joined(_ nickname: String, room: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: "\(nickname) joined \(room)", room: room)
            .with(.joined(nickname: nickname, room: room))
    }

    /// `* NICK is back in ROOM`: a user the others had taken for gone (their node had lost the database).
    public static func back(_ nickname: String, room: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: "\(nickname) is back in \(room)", room: room)
            .with(.joined(nickname: nickname, room: room))
    }

    /// `* NICK left ROOM (REASON)`.
    public static func left(_ nickname: String, room: String, reason: String?) -> ChatEvent {
        let suffix = reason.map { " (\($0))" } ?? ""
        return ChatEvent(kind: .notice, text: "\(nickname) left \(room)\(suffix)", room: room)
            .with(.left(nickname: nickname, room: room, reason: reason))
    }

    /// `* NICK left ROOM (REASON)`, for one room left while staying in others (IRC's PART): the words of ``left(_:room:reason:)``,
    /// since for whoever stays in that room it is the same.
    public static func parted(_ nickname: String, room: String, reason: String?) -> ChatEvent {
        var event = Self.left(nickname, room: room, reason: reason)
        event.occurrence = .parted(nickname: nickname, room: room, reason: reason)
        return event
    }

    /// `* NICK left FROM for TO`, to the room left.
    public static func moved(_ nickname: String, from: String, to: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: "\(nickname) left \(from) for \(to)", room: from)
            .with(.moved(nickname: nickname, from: from, to: to))
    }

    /// `* OLD is now known as NEW`, in `room`.
    public static func renamed(_ old: String, to new: String, room: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: "\(old) is now known as \(new)", room: room)
            .with(.renamed(from: old, to: new))
    }

    /// `* 37 joined and 4 left ROOM`; nil when nobody came or went.
    public static func comingsAndGoings(in room: String, arrivals: Int, departures: Int) -> ChatEvent? {
        var parts: [String] = []
        if arrivals > 0 { parts.append("\(arrivals) joined") }
        if departures > 0 { parts.append("\(departures) left") }
        guard !parts.isEmpty else { return nil }
        return ChatEvent(kind: .notice, text: parts.joined(separator: " and ") + " \(room)", room: room)
            .with(.comingsAndGoings(room: room, arrivals: arrivals, departures: departures))
    }

    /// `* NICK is away: MESSAGE`, to whoever sent NICK a private message.
    public static func away(_ nickname: String, message: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: "\(nickname) is away: \(message)").with(
            .away(nickname: nickname, message: message)
        )
    }

    /// `* NICK set the topic of ROOM: TOPIC`, or `* NICK cleared the topic of ROOM` when `topic` is nil.
    public static func topicChanged(_ nickname: String, room: String, to topic: String?) -> ChatEvent {
        let text =
            topic.map { "\(nickname) set the topic of \(room): \($0)" } ?? "\(nickname) cleared the topic of \(room)"
        return ChatEvent(kind: .notice, text: text, room: room)
            .with(.topicChanged(nickname: nickname, room: room, topic: topic))
    }

    /// `* Topic of ROOM: TOPIC (set by NICK)`, to whoever enters the room; `setAt` in milliseconds since 1970.
    public static func topic(of room: String, _ topic: String, setBy nickname: String, at setAt: Int64) -> ChatEvent {
        ChatEvent(kind: .notice, text: "Topic of \(room): \(topic) (set by \(nickname))", room: room)
            .with(.topic(room: room, topic: topic, setBy: nickname, setAt: setAt))
    }

    /// `* -NICK- TEXT`: an IRC NOTICE to a room (IRC: `NOTICE ROOM :TEXT` from NICK).
    public static func roomNotice(_ nickname: String, room: String, text: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: "-\(nickname)- \(text)", from: nickname, room: room)
            .with(.roomNotice(nickname: nickname, room: room, text: text))
    }

    /// `* NICK made bob an operator of ROOM` and the like (IRC: `MODE ROOM +o bob`).
    public static func modeChanged(_ nickname: String, room: String, _ change: RoomModeChange) -> ChatEvent {
        ChatEvent(kind: .notice, text: "\(nickname) \(change.words(in: room))", room: room)
            .with(.modeChanged(nickname: nickname, room: room, change: change))
    }

    /// `* server: TEXT`.
    public static func announcement(_ text: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: "server: \(text)", from: "server").with(.announcement(text))
    }

    /// This event with `occurrence` attached.
    public func with(_ occurrence: ChatOccurrence) -> ChatEvent {
        var event = self
        event.occurrence = occurrence
        return event
    }
}
