import ChatProtocol
import Foundation

/// What the client remembers across reconnects: who I am, where I am, who else is around.
public struct ClientSessionState: Sendable, Equatable {
    /// My nickname as the server last confirmed it (or as asked, before joining).
    public var nickname: String
    /// The room I am in, so a reconnect can return there.
    public var room = RoomName.lobby.name
    /// Nicknames seen recently, for Tab completion.
    public var knownNicknames: Set<String> = []
    /// Command names the server listed in its welcome, and any seen in `/help` since (plugins come and go), for Tab
    /// completion. Learned, never hard-coded: each server has its own plugins.
    public var knownCommands: Set<String> = []

    public init(nickname: String) {
        self.nickname = nickname
    }

    /// Learns from one event: renames and room changes of mine, others' nicknames, command names.
    public mutating func observe(_ event: ChatEvent) {
        if let from = event.from, from != "server", event.kind != .notice {
            self.knownNicknames.insert(from)
        }
        switch event.kind {
        case .welcome:
            if let to = event.to { self.nickname = to }
            if let room = event.room { self.room = room }
            if let commands = event.commands { self.knownCommands = Set(commands.filter(CommandName.isValid)) }
        case .notice:
            self.observeNotice(event)
        default:
            break
        }
    }

    private mutating func observeNotice(_ event: ChatEvent) {
        let text = event.text
        // `* old is now known as new`
        if let range = text.range(of: " is now known as ") {
            let old = String(text[..<range.lowerBound])
            let new = String(text[range.upperBound...])
            self.knownNicknames.remove(old)
            self.knownNicknames.insert(new)
            if old.lowercased() == self.nickname.lowercased() { self.nickname = new }
            return
        }
        // `* NICK joined #ROOM`
        if let range = text.range(of: " joined #") {
            let who = String(text[..<range.lowerBound])
            if who.lowercased() == self.nickname.lowercased(), let room = event.room {
                self.room = room
            } else if !who.contains(" ") {
                self.knownNicknames.insert(who)
            }
            return
        }
        // `* #room (3): alice, bob (away: lunch)`
        if text.hasPrefix("#"), let colon = text.range(of: "): ") {
            for entry in text[colon.upperBound...].split(separator: ",") {
                let name = entry.trimmingSpacesAndTabs().split(separator: " ").first.map(String.init) ?? ""
                if !name.isEmpty { self.knownNicknames.insert(name) }
            }
            return
        }
        // `/help` lines: `  /name usage  summary`
        let trimmed = text.trimmingSpacesAndTabs()
        if trimmed.hasPrefix("/"), let name = trimmed.dropFirst().split(separator: " ").first {
            let name = String(name)
            if CommandName.isValid(name) { self.knownCommands.insert(name) }
        }
    }
}
