import ChatCore
import ChatProtocol

/// Channels are rooms: JOIN enters rooms besides the others, PART leaves one, NAMES and LIST show them.
extension IRCSession {
    /// `JOIN #a,#b` (keys ignored: rooms have none); `JOIN 0` leaves every channel.
    func join(_ channels: String) async {
        guard let id = self.sessionID else { return }
        if channels == "0" {
            for room in await self.hub.roomsOf(id) {
                try? await self.hub.part(id, room: room, reason: "left all channels")
            }
            return
        }
        for channel in channels.split(separator: ",").map(String.init) {
            guard channel.hasPrefix("#") else {
                self.reply("403", channel, "No such channel")
                continue
            }
            let room: RoomName
            do {
                let (entered, isNew) = try await self.hub.enter(id, room: channel)
                guard isNew else { continue }
                room = entered
            } catch {
                self.reply("479", channel, "Illegal channel name: \(error)")
                continue
            }
            // The hub has echoed the JOIN and told the topic (332 and 333; no 331: IRC says nothing of a topic that
            // is not set); then the names, and what was said lately.
            await self.names(room.name)
            await self.hub.replayHistory(to: id, of: room)
        }
    }

    /// `PART #a,#b :reason`.
    func part(_ channels: String, reason: String?) async {
        guard let id = self.sessionID else { return }
        let reason = reason.map(IRCFormatting.strip).flatMap { $0.isEmpty ? nil : $0 }
        for channel in channels.split(separator: ",").map(String.init) {
            guard let room = try? RoomName(validating: channel) else {
                self.reply("403", channel, "No such channel")
                continue
            }
            do {
                try await self.hub.part(id, room: room, reason: reason)
            } catch {
                let exists = await self.hub.roomList().contains { $0.room == room }
                self.reply(exists ? "442" : "403", channel, exists ? "You're not on that channel" : "No such channel")
            }
        }
    }

    /// `TOPIC #a` answers the topic (332 and 333, or 331 without one); `TOPIC #a :text` sets it for every door
    /// (cut to `TOPICLEN`, as IRC servers do), and an empty text clears it. Only members of a room set its topic.
    func topic(of channel: String, setTo text: String?) async {
        guard let id = self.sessionID else { return }
        guard let room = try? RoomName(validating: channel) else {
            self.reply("403", channel, "No such channel")
            return
        }
        // A room exists while someone is in it: TOPIC on one that does not is 403, as for JOIN-less channels.
        guard let shown = await self.hub.roomList().first(where: { $0.room == room })?.room else {
            self.reply("403", channel, "No such channel")
            return
        }
        guard let text else {
            guard let topic = await self.hub.topic(of: shown) else {
                self.reply("331", shown.name, "No topic is set")
                return
            }
            self.connection.send(topic.announcement(in: shown))
            return
        }
        guard await self.hub.roomsOf(id).contains(room) else {
            self.reply("442", shown.name, "You're not on that channel")
            return
        }
        guard await self.hub.maySetTopic(id, in: room) else {
            self.reply("482", shown.name, "You're not channel operator")
            return
        }
        let topic = String(IRCFormatting.strip(text).prefix(RoomTopic.maximumLength))
        do {
            try await self.hub.setTopic(id, in: room, to: topic)
        } catch {
            self.notice(error.description)
        }
    }

    /// 353s for each channel of `channels` (up to `TARGMAX`'s NAMES:4) that exists, then one 366 for them all; a
    /// channel that does not exist (or is not a channel) gets no 353, as IRC has no error for it.
    func names(_ channels: String?) async {
        guard let channels, !channels.isEmpty else {
            self.reply("366", "*", "End of /NAMES list")
            return
        }
        let list = channels.split(separator: ",").prefix(Self.namesTargets).map(String.init)
        var shownNames: [String] = []
        for channel in list {
            guard channel.hasPrefix("#"), let room = try? RoomName(validating: channel),
                let shown = await self.hub.roomList().first(where: { $0.room == room })?.room
            else {
                shownNames.append(channel)
                continue
            }
            shownNames.append(shown.name)
            await self.namesReplies(for: shown)
        }
        self.reply("366", list.count == 1 ? shownNames[0] : channels, "End of /NAMES list")
    }

    /// The most channels one NAMES lists (`TARGMAX`).
    static let namesTargets = IRCWelcome.messageTargets

    /// The 353s of one room: as many names per line as fit well inside IRC's 512 bytes.
    private func namesReplies(for room: RoomName) async {
        let (hosts, allPrefixes) = (self.showsHostsInNames, self.showsAllPrefixes)
        let members = await self.hub.members(of: room).map { member in
            member.prefixes(all: allPrefixes) + (hosts ? IRCRenderer.mask(member.nickname) : member.nickname)
        }
        var line: [String] = []
        var length = 0
        for member in members {
            if length + member.utf8.count + 1 > 400 {
                self.reply("353", "=", room.name, line.joined(separator: " "))
                line = []
                length = 0
            }
            line.append(member)
            length += member.utf8.count + 1
        }
        if !line.isEmpty { self.reply("353", "=", room.name, line.joined(separator: " ")) }
    }

    /// 321, a 322 per room with its member count, 323.
    func list(_ channels: String?) async {
        let wanted = channels.map { Set($0.split(separator: ",").map { $0.lowercased() }) }
        self.reply("321", "Channel", "Users  Name")
        for (room, members) in await self.hub.roomList() where wanted?.contains(room.key) ?? true {
            self.reply("322", room.name, "\(members)", "")
        }
        self.reply("323", "End of /LIST")
    }
}
