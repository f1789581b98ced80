import ChatProtocol

/// A room message or action as kept in history.
public struct StoredMessage: Sendable, Equatable {
    /// What kind of line it was.
    public enum Kind: String, Sendable {
        case message
        case action
    }

    /// Increasing with time; 0 until stored.
    public var id: Int64
    public var room: String
    public var sender: String
    public var kind: Kind
    public var text: String
    /// Milliseconds since 1970.
    public var time: Int64

    public init(id: Int64 = 0, room: String, sender: String, kind: Kind, text: String, time: Int64) {
        self.id = id
        self.room = room
        self.sender = sender
        self.kind = kind
        self.text = text
        self.time = time
    }

    /// The event a client sees when this message is replayed: what the store holds is cleaned and capped as a
    /// user's line is (``StoredText``).
    public var historyEvent: ChatEvent {
        ChatEvent(
            kind: self.kind == .action ? .action : .message,
            text: StoredText.clean(self.text),
            from: StoredText.clean(self.sender),
            room: StoredText.clean(self.room),
            history: true,
            time: self.time
        )
    }
}

/// A private message kept for its recipient.
public struct StoredPrivateMessage: Sendable, Equatable {
    public var id: Int64
    public var sender: String
    public var recipient: String
    public var text: String
    public var time: Int64

    public init(id: Int64 = 0, sender: String, recipient: String, text: String, time: Int64) {
        self.id = id
        self.sender = sender
        self.recipient = recipient
        self.text = text
        self.time = time
    }

    /// The event its recipient sees at login, cleaned and capped as a user's line is (``StoredText``).
    public var historyEvent: ChatEvent {
        ChatEvent(
            kind: .privateMessage,
            text: StoredText.clean(self.text),
            from: StoredText.clean(self.sender),
            history: true,
            time: self.time
        )
    }
}
