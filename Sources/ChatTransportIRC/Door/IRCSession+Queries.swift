import ChatCore
import ChatProtocol

/// Who is who: WHO, WHOIS, ISON, USERHOST; and the user's own AWAY, NICK and MODE.
extension IRCSession {
    /// `WHO #a` (its members), `WHO nick`, or `WHO mask` (everyone whose nickname matches, `*` everyone, leaving out
    /// `+i` users who share no room with the asker); a 352 each, or WHOX's 354 when asked with `%fields[,token]`;
    /// then 315. At most ``whoLimit`` replies, so a WHO in a big chat cannot flood the asker's own connection.
    func who(_ mask: String, _ options: String?) async {
        let query = options.flatMap(IRCWhoQuery.init)
        var replies = 0
        if mask.hasPrefix("#") {
            if let room = try? RoomName(validating: mask) {
                let shown = (await self.hub.roomList().first { $0.room == room }?.room ?? room).name
                for member in await self.hub.members(of: room).prefix(Self.whoLimit) {
                    if let profile = await self.hub.profile(of: member.nickname) {
                        self.whoReply(profile, channel: shown, member.prefixes(all: self.showsAllPrefixes), query)
                    }
                }
            }
        } else if !IRCMask.isMask(mask) && mask != "0" {
            if let profile = await self.hub.profile(of: mask) {
                await self.whoReplyInFocus(profile, query)
            }
        } else if let id = self.sessionID {
            let mine = Set(await self.hub.roomsOf(id).map(\.key))
            for profile in await self.hub.everyoneOnline() where mask == "0" || IRCMask.matches(mask, profile.nickname)
            {
                let isSelf = profile.nickname.lowercased() == self.nickname.lowercased()
                guard
                    !profile.isInvisible || isSelf || profile.rooms.contains(where: { mine.contains($0.lowercased()) })
                else { continue }
                await self.whoReplyInFocus(profile, query)
                replies += 1
                if replies == Self.whoLimit { break }
            }
        }
        self.reply("315", mask, "End of WHO list")
    }

    /// The most replies one WHO gets.
    static let whoLimit = 500

    /// A WHO reply for someone found by nickname: shown in the room they are focused on, with their standing there.
    private func whoReplyInFocus(_ profile: UserProfile, _ query: IRCWhoQuery?) async {
        guard let focus = profile.rooms.first, let room = try? RoomName(validating: focus) else {
            return self.whoReply(profile, channel: nil, "", query)
        }
        let standing = await self.hub.standing(of: profile.nickname, in: room)
        self.whoReply(profile, channel: focus, standing?.prefixes(all: self.showsAllPrefixes) ?? "", query)
    }

    /// `352 channel user host server nick H|G[@+] :hops realname`, or with WHOX the fields asked for in a 354.
    private func whoReply(_ profile: UserProfile, channel: String?, _ prefixes: String, _ query: IRCWhoQuery?) {
        let flags = (profile.awayMessage == nil ? "H" : "G") + prefixes
        guard let query else {
            return self.reply(
                "352",
                channel ?? "*",
                profile.username,
                Self.host,
                self.serverName,
                profile.nickname,
                flags,
                "0 \(profile.realName)"
            )
        }
        let values = query.values { field in
            switch field {
            case "c": channel ?? "*"
            case "u": profile.username
            // Nobody's address is shown to others; WHOX wants an IP all the same.
            case "i": "255.255.255.255"
            case "h": Self.host
            case "s": self.serverName
            case "n": profile.nickname
            case "f": flags
            case "l": "\(profile.idle?.components.seconds ?? 0)"
            case "a": profile.account ?? "0"
            case "r": profile.realName
            default: "0"  // d (hops), o (op level)
            }
        }
        self.connection.send([self.numeric("354", values)])
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
            self.reply("221", self.isInvisible ? "+i" : "+")
            return
        }
        // `+i` is the one user mode: it hides the user from WHO by mask to those who share no room with them.
        var adding = true
        var invisible = self.isInvisible
        for flag in change {
            switch flag {
            case "+", "-": adding = flag == "+"
            case "i": invisible = adding
            default: continue
            }
        }
        if invisible != self.isInvisible, let id = self.sessionID {
            self.isInvisible = invisible
            await self.hub.setInvisible(id, invisible)
            self.connection.send([
                IRCMessage(source: self.mask, command: "MODE", parameters: [self.nickname, invisible ? "+i" : "-i"])
            ])
        }
        if change.contains(where: { !"+-i".contains($0) }) {
            self.reply("501", "Unknown MODE flag")
        }
    }
}
