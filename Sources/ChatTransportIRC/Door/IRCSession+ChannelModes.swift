import ChatCore
import ChatProtocol

/// A channel's MODE: `MODE #a` answers its modes (324), `MODE #a b` its (always empty) ban list, and operators change
/// `+o`, `+v` and `+t` (the hub tells the room). Rooms are always `+n`: only members speak in them.
extension IRCSession {
    func channelMode(of room: RoomName, _ arguments: [String]) async {
        guard let id = self.sessionID else { return }
        guard let modes = arguments.first else {
            self.reply("324", room.name, await self.hub.isTopicLocked(room) ? "+nt" : "+n")
            return
        }
        var adding = true
        var parameters = arguments.dropFirst()
        var changes: [RoomModeChange] = []
        for flag in modes {
            switch flag {
            case "+", "-":
                adding = flag == "+"
            case "o", "v":
                // A missing nickname leaves the flag out, as IRC servers do.
                guard let nickname = parameters.popFirst() else { continue }
                changes.append(
                    RoomModeChange(adding: adding, mode: flag == "o" ? .operator : .voice, nickname: nickname)
                )
            case "t":
                changes.append(RoomModeChange(adding: adding, mode: .topicLock))
            case "n":
                continue
            case "b":
                guard let mask = parameters.popFirst() else {
                    self.reply("368", room.name, "End of channel ban list")
                    continue
                }
                // The console bans addresses server-wide; rooms keep no ban lists of their own.
                self.reply("472", "b", "Rooms have no ban lists here; \(mask) was not banned")
            default:
                self.reply("472", String(flag), "is unknown mode char to me")
            }
        }
        guard !changes.isEmpty else { return }
        do {
            try await self.hub.changeModes(id, of: room, changes)
        } catch {
            switch error {
            case .notInRoom: self.reply("442", room.name, "You're not on that channel")
            case .notOperator: self.reply("482", room.name, "You're not channel operator")
            case .noSuchMember(let nickname): self.reply("441", nickname, room.name, "They aren't on that channel")
            }
        }
    }
}
