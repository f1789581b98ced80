import ChatCore
import ChatProtocol

/// Who is who: WHO, WHOIS, ISON, USERHOST; and the user's own AWAY, NICK and MODE.
extension IRCSession {
    /// `WHO #a` (its members) or `WHO nick`: a 352 each, then 315.
    func who(_ mask: String) async {
        if mask.hasPrefix("#") {
            if let room = try? RoomName(validating: mask) {
                let shown = (await self.hub.roomList().first { $0.room == room }?.room ?? room).name
                for member in await self.hub.members(of: room) {
                    if let profile = await self.hub.profile(of: member.nickname) {
                        self.whoReply(channel: shown, profile, prefixes: member.prefixes(all: self.showsAllPrefixes))
                    }
                }
            }
        } else if let profile = await self.hub.profile(of: mask) {
            self.whoReply(channel: profile.rooms.first ?? "*", profile)
        }
        self.reply("315", mask, "End of WHO list")
    }

    /// `352 channel user host server nick H|G[@+] :hops realname`.
    private func whoReply(channel: String, _ profile: UserProfile, prefixes: String = "") {
        self.reply(
            "352",
            channel,
            profile.username,
            Self.host,
            self.serverName,
            profile.nickname,
            (profile.awayMessage == nil ? "H" : "G") + prefixes,
            "0 \(profile.realName)"
        )
    }

    /// The host every user shows: slashchat never shows anyone's address to others.
    static let host = "slashchat"

    /// 311, 319, 312, 301, 317, 318; 401 for someone not online.
    func whois(_ target: String) async {
        guard let profile = await self.hub.profile(of: target) else {
            self.reply("401", target, "No such nick/channel")
            self.reply("318", target, "End of /WHOIS list")
            return
        }
        let nickname = profile.nickname
        self.reply("311", nickname, profile.username, Self.host, "*", profile.realName)
        if !profile.rooms.isEmpty {
            self.reply("319", nickname, profile.rooms.joined(separator: " "))
        }
        self.reply("312", nickname, self.serverName, profile.node.map { "slashchat node \($0)" } ?? "slashchat")
        if let away = profile.awayMessage {
            self.reply("301", nickname, away)
        }
        if let account = profile.account {
            self.reply("330", nickname, account, "is logged in as")
        }
        if let idle = profile.idle {
            self.reply(
                "317",
                nickname,
                "\(idle.components.seconds)",
                "\(profile.connectedAt / 1000)",
                "seconds idle, signon time"
            )
        }
        self.reply("318", nickname, "End of /WHOIS list")
    }

    /// 303 with those of `nicknames` who are online (a parameter may hold several, space-separated).
    func ison(_ nicknames: [String]) async {
        var online: [String] = []
        for name in nicknames.flatMap({ $0.split(separator: " ").map(String.init) }) {
            if let profile = await self.hub.profile(of: name) { online.append(profile.nickname) }
        }
        self.reply("303", online.joined(separator: " "))
    }

    /// 302 with `nick=+user@host` (`-` when away) for up to five nicknames.
    func userhost(_ nicknames: [String]) async {
        var replies: [String] = []
        for name in nicknames.prefix(5) {
            guard let profile = await self.hub.profile(of: name) else { continue }
            replies.append("\(profile.nickname)=\(profile.awayMessage == nil ? "+" : "-")\(profile.nickname)@slashchat")
        }
        self.reply("302", replies.joined(separator: " "))
    }

    /// `AWAY :message` (306) or `AWAY` (305).
    func away(_ message: String?) async {
        guard let id = self.sessionID else { return }
        await self.hub.setAway(id, message: message, confirms: false)
        if message == nil {
            self.reply("305", "You are no longer marked as being away")
        } else {
            self.reply("306", "You have been marked as being away")
        }
    }

    /// NICK: a rename every door sees (the hub echoes it as NICK).
    func rename(to candidate: String) async {
        guard let id = self.sessionID else { return }
        guard (try? Nickname(validating: candidate)) != nil else {
            self.reply("432", candidate, "Erroneous nickname")
            return
        }
        do {
            try await self.hub.rename(id, to: candidate)
        } catch {
            if error.description.hasPrefix("You are already called") { return }
            self.reply("433", candidate, "Nickname is already in use")
            if error.description.contains("registered") { self.notice(error.description) }
        }
    }

    /// User modes (`+i` accepted, nothing else kept) and channel modes (`+nt`, an empty ban list).
    func mode(of target: String, _ changes: [String]) async {
        if target.hasPrefix("#") {
            guard let room = try? RoomName(validating: target),
                let shown = await self.hub.roomList().first(where: { $0.room == room })?.room
            else {
                self.reply("403", target, "No such channel")
                return
            }
            await self.channelMode(of: shown, changes)
            return
        }
        guard target.lowercased() == self.nickname.lowercased() else {
            self.reply("502", "Cannot change mode for other users")
            return
        }
        guard let change = changes.first else {
            self.reply("221", "+i")
            return
        }
        let accepted = change.filter { "+-i".contains($0) }
        if accepted.contains("i") {
            self.connection.send([
                IRCMessage(source: self.mask, command: "MODE", parameters: [self.nickname, accepted])
            ])
        }
        if accepted.count != change.count {
            self.reply("501", "Unknown MODE flag")
        }
    }
}
