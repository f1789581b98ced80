import ChatCore
import ChatProtocol
import Foundation

/// How the hub's events look to one IRC client: room lines as `PRIVMSG` from their sender, `/me` as CTCP ACTION,
/// joins, moves, renames and departures as `JOIN`, `PART`, `NICK` and `QUIT` (from the event's typed
/// ``ChatOccurrence``, never from its English words), command blocks as `NOTICE`s to the room (header first, each
/// line verbatim), and what is meant for this user alone (errors, answers, away notices) as `NOTICE`s from the server.
///
/// A value per connection: the rendering depends on the client's nickname (the target of its own notices) and on the
/// capabilities it enabled (`server-time` tags).
public struct IRCRenderer: Sendable {
    public var nickname: String
    public var serverName = "slashchat"
    /// `server-time`: every message carries its `time` tag.
    public var sendsTime = false
    /// `echo-message`: the client gets its own room lines and private messages back.
    public var echoesOwnMessages = false

    public init(nickname: String) {
        self.nickname = nickname
    }

    /// Follows the capabilities the client enabled.
    public mutating func apply(_ capabilities: Set<String>) {
        self.sendsTime = capabilities.contains("server-time")
        self.echoesOwnMessages = capabilities.contains("echo-message")
    }

    /// What this client's view of other people's room lines depends on: only `server-time` (their lines never name
    /// the reader, and `echo-message` is about its own), so fan-out renders them once for all such clients.
    public var sharedKey: SharedRenderingKey {
        SharedRenderingKey(door: "irc", variant: self.sendsTime ? 1 : 0)
    }

    /// The IRC messages for `event`; none for what IRC has no place for (the plain protocol's prompts, its welcome).
    public func render(_ event: ChatEvent) -> [IRCMessage] {
        let tags = self.tags(for: event)
        switch event.kind {
        case .message, .action:
            guard let from = event.from, let room = event.room else { return [] }
            if from.lowercased() == self.nickname.lowercased(), !self.echoesOwnMessages, event.history != true {
                return []
            }
            if event.history == true && !self.sendsTime {
                let line = event.kind == .action ? "* \(from) \(event.text)" : "<\(from)> \(event.text)"
                return [self.notice(to: room, "[History] \(line)", tags: tags)]
            }
            let text = event.kind == .action ? "\u{01}ACTION \(event.text)\u{01}" : event.text
            return [IRCMessage(tags: tags, source: Self.mask(from), command: "PRIVMSG", parameters: [room, text])]
        case .privateMessage:
            if let to = event.to {
                // The echo of one's own private message (JSON clients get it; IRC with echo-message).
                guard self.echoesOwnMessages else { return [] }
                return [
                    IRCMessage(
                        tags: tags,
                        source: Self.mask(self.nickname),
                        command: "PRIVMSG",
                        parameters: [to, event.text]
                    )
                ]
            }
            guard let from = event.from else { return [] }
            return [
                IRCMessage(
                    tags: tags,
                    source: Self.mask(from),
                    command: "PRIVMSG",
                    parameters: [self.nickname, event.text]
                )
            ]
        case .block:
            guard let room = event.room else {
                return ([event.text] + (event.lines ?? [])).map { self.notice(to: self.nickname, $0, tags: tags) }
            }
            // Each line verbatim (the art's spacing is the point), as the server's NOTICEs to the room.
            return ([event.text] + (event.lines ?? [])).map { self.notice(to: room, $0, tags: tags) }
        case .notice:
            if let occurrence = event.occurrence {
                return self.render(occurrence, tags: tags)
            }
            return [self.notice(to: event.room ?? self.nickname, event.text, tags: tags)]
        case .error:
            return [self.notice(to: self.nickname, "! \(event.text)", tags: tags)]
        case .prompt, .welcome, .mode:
            return []
        }
    }

    private func render(_ occurrence: ChatOccurrence, tags: [IRCMessage.Tag]) -> [IRCMessage] {
        switch occurrence {
        case .joined(let nickname, let room):
            return [IRCMessage(tags: tags, source: Self.mask(nickname), command: "JOIN", parameters: [room])]
        case .left(let nickname, _, let reason):
            return [
                IRCMessage(tags: tags, source: Self.mask(nickname), command: "QUIT", parameters: [reason ?? "left"])
            ]
        case .parted(let nickname, let room, let reason):
            return [
                IRCMessage(
                    tags: tags,
                    source: Self.mask(nickname),
                    command: "PART",
                    parameters: reason.map { [room, $0] } ?? [room]
                )
            ]
        case .moved(let nickname, let from, let to):
            return [
                IRCMessage(
                    tags: tags,
                    source: Self.mask(nickname),
                    command: "PART",
                    parameters: [from, "moved to \(to)"]
                )
            ]
        case .renamed(let from, let to):
            return [IRCMessage(tags: tags, source: Self.mask(from), command: "NICK", parameters: [to])]
        case .comingsAndGoings(let room, let arrivals, let departures):
            var parts: [String] = []
            if arrivals > 0 { parts.append("\(arrivals) joined") }
            if departures > 0 { parts.append("\(departures) left") }
            return [self.notice(to: room, parts.joined(separator: " and ") + " \(room)", tags: tags)]
        case .announcement(let text):
            return [self.notice(to: self.nickname, "server: \(text)", tags: tags)]
        case .away(let nickname, let message):
            return [
                IRCMessage(
                    tags: tags,
                    source: self.serverName,
                    command: "301",
                    parameters: [self.nickname, nickname, message]
                )
            ]
        case .topicChanged(let nickname, let room, let topic):
            return [
                IRCMessage(tags: tags, source: Self.mask(nickname), command: "TOPIC", parameters: [room, topic ?? ""])
            ]
        case .roomNotice(let nickname, let room, let text):
            if nickname.lowercased() == self.nickname.lowercased(), !self.echoesOwnMessages { return [] }
            return [IRCMessage(tags: tags, source: Self.mask(nickname), command: "NOTICE", parameters: [room, text])]
        case .modeChanged(let nickname, let room, let change):
            return [
                IRCMessage(
                    tags: tags,
                    source: Self.mask(nickname),
                    command: "MODE",
                    parameters: [room, change.flag] + (change.nickname.map { [$0] } ?? [])
                )
            ]
        case .topic(let room, let topic, let setBy, let setAt):
            return Self.topicReplies(to: self.nickname, in: room, topic, setBy: setBy, at: setAt, from: self.serverName)
        }
    }

    /// 332 (the topic) and 333 (who set it, when, in seconds since 1970), on JOIN and for `TOPIC #a`.
    static func topicReplies(
        to nickname: String,
        in room: String,
        _ topic: String,
        setBy: String,
        at setAt: Int64,
        from serverName: String
    ) -> [IRCMessage] {
        [
            IRCMessage(source: serverName, command: "332", parameters: [nickname, room, topic]),
            IRCMessage(
                source: serverName,
                command: "333",
                parameters: [nickname, room, setBy, String(setAt / 1000)]
            ),
        ]
    }

    /// A NOTICE from the server to `target` (a room or this user).
    private func notice(to target: String, _ text: String, tags: [IRCMessage.Tag]) -> IRCMessage {
        IRCMessage(tags: tags, source: self.serverName, command: "NOTICE", parameters: [target, text])
    }

    /// The `time` tag when the client asked for `server-time`.
    private func tags(for event: ChatEvent) -> [IRCMessage.Tag] {
        guard self.sendsTime else { return [] }
        let milliseconds = event.time ?? Int64(Date().timeIntervalSince1970 * 1000)
        return [IRCMessage.Tag("time", Self.timestamp(milliseconds))]
    }

    /// `2026-12-05T12:00:00.000Z`, as IRCv3's server-time writes it.
    static func timestamp(_ milliseconds: Int64) -> String {
        let seconds = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = seconds.remainder < 0 ? seconds.quotient - 1 : seconds.quotient
        let fraction = seconds.remainder < 0 ? seconds.remainder + 1000 : seconds.remainder
        let date = Date(timeIntervalSince1970: Double(whole))
        let parts = Self.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(String(format: "%04d", parts.year ?? 1970))-\(two(parts.month))-\(two(parts.day))T"
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)).\(String(format: "%03d", Int(fraction)))Z"
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `nick!nick@slashchat`: who a message is from, as IRC clients expect a source.
    static func mask(_ nickname: String) -> String {
        "\(nickname)!\(nickname)@slashchat"
    }
}
