/// One thing the server tells a client: the unit of both wire formats.
///
/// Plain mode renders it as the text lines `nc` users see (``plainLines``); structured mode sends it as one
/// JSON object per line (see ``WireFormat``). Keeping a single type for both means a new kind of event cannot
/// be added to one format and forgotten in the other.
public struct ChatEvent: Codable, Sendable, Equatable {
    /// What kind of event this is; encoded as the JSON field `type`.
    public enum Kind: String, Codable, Sendable {
        /// The server asks for something (`field` says what: `nickname`).
        case prompt
        /// The client has joined; `to` carries its nickname.
        case welcome
        /// A room message: `<from> text`.
        case message
        /// A private message: `[PM from from] text`. In structured mode the sender gets it too, with `to` set.
        case privateMessage = "pm"
        /// A `/me` action: `* from text`.
        case action
        /// A notice: `* text`.
        case notice
        /// An error for this connection only: `! text`.
        case error
        /// A command's multi-line output: `* text` as header, then `lines` verbatim.
        case block
        /// The wire format changed; `text` names the new one.
        case mode
    }

    public var kind: Kind
    public var text: String
    public var from: String?
    public var to: String?
    public var room: String?
    /// The command that produced a block, without its slash.
    public var command: String?
    /// A block's body lines.
    public var lines: [String]?
    /// For prompts: what is asked for (`nickname`).
    public var field: String?
    /// For blocks a client may animate (`train`): the animation's name.
    public var animation: String?
    /// A replayed line from the history (plain mode prefixes it with `[History] `).
    public var history: Bool?
    /// For the welcome: the names of the commands this server knows (built-ins and plugins, without slashes), so a
    /// client completes what the server really has.
    public var commands: [String]?
    /// Milliseconds since 1970 when the server created the event.
    public var time: Int64?

    /// What a notice is about, typed (``ChatOccurrence``), for doors with a dialect of their own; not part of the
    /// wire formats (the coding keys leave it out).
    public var occurrence: ChatOccurrence?

    enum CodingKeys: String, CodingKey {
        case kind = "type"
        case text, from, to, room, command, lines, field, animation, history, commands, time
    }

    public init(
        kind: Kind,
        text: String,
        from: String? = nil,
        to: String? = nil,
        room: String? = nil,
        command: String? = nil,
        lines: [String]? = nil,
        field: String? = nil,
        animation: String? = nil,
        history: Bool? = nil,
        commands: [String]? = nil,
        time: Int64? = nil
    ) {
        self.kind = kind
        self.text = text
        self.from = from
        self.to = to
        self.room = room
        self.command = command
        self.lines = lines
        self.field = field
        self.animation = animation
        self.history = history
        self.commands = commands
        self.time = time
    }

    /// The lines a plain-mode client sees for this event, without newlines.
    public var plainLines: [String] {
        guard self.history != true else { return self.livePlainLines.map { "[History] " + $0 } }
        return self.livePlainLines
    }

    private var livePlainLines: [String] {
        switch self.kind {
        case .message:
            return ["<\(self.from ?? "?")> \(self.text)"]
        case .privateMessage:
            if let to = self.to {
                return ["[PM to \(to)] \(self.text)"]
            }
            return ["[PM from \(self.from ?? "?")] \(self.text)"]
        case .action:
            return ["* \(self.from ?? "?") \(self.text)"]
        case .error:
            return ["! \(self.text)"]
        case .block:
            return ["* \(self.text)"] + (self.lines ?? [])
        case .prompt, .welcome, .notice, .mode:
            return ["* \(self.text)"]
        }
    }
}

extension ChatEvent {
    /// A `* text` notice.
    public static func notice(_ text: String) -> ChatEvent {
        ChatEvent(kind: .notice, text: text)
    }

    /// A `! text` error.
    public static func error(_ text: String) -> ChatEvent {
        ChatEvent(kind: .error, text: text)
    }
}
