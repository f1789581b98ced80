import ChatProtocol

extension ChatHub {
    /// The session using `nickname`, if any.
    public func sessionID(of nickname: String) -> SessionID? {
        self.nicknames.sessionID(of: nickname)
    }

    /// A user's output queue.
    func recipient(of id: SessionID) -> (any ChatRecipient)? {
        self.sessions[id]?.recipient
    }

    /// A user's nickname and room (the focus, for an IRC user in several; nil for one in none).
    public func whereabouts(of id: SessionID) -> (nickname: Nickname, room: RoomName?)? {
        self.sessions[id].map { ($0.nickname, $0.room) }
    }

    /// Who spoke last in the user's room, and whether they come before (-1) or after (+1) the user in the
    /// member list (0: the user, or nobody yet). `/eyes` looks that way.
    public func lastSpeaker(seenBy id: SessionID) -> (nickname: Nickname, direction: Int)? {
        guard let session = self.sessions[id], let roomName = session.room, let room = self.rooms[roomName.key],
            let speakerID = room.lastSpeaker, let speaker = self.sessions[speakerID],
            let speakerIndex = room.members.firstIndex(where: { $0.id == speakerID }),
            let ownIndex = room.members.firstIndex(where: { $0.id == id })
        else { return nil }
        return (speaker.nickname, speakerIndex < ownIndex ? -1 : speakerIndex > ownIndex ? 1 : 0)
    }

    /// The `/who` answer: the members of the user's room, with away messages; in a cluster, on every node (this
    /// node's members only, should the directory not answer).
    public func membersOfRoom(of id: SessionID) async -> (room: RoomName, members: [String]) {
        guard let roomName = self.sessions[id]?.room else { return (.lobby, []) }
        // The room's name as first created, which may differ in case from the one the user typed.
        let room = self.rooms[roomName.key]?.name ?? roomName
        let members = await self.members(of: room).map { member in
            member.away.map { "\(member.nickname) (away: \($0))" } ?? member.nickname
        }
        return (room, members)
    }

    /// Records what an IRC client said about its user (USER), for WHO and WHOIS.
    public func setIRCIdentity(_ id: SessionID, username: String, realName: String) {
        self.sessions[id]?.ircIdentity = (username, realName)
    }

    /// The members of `room` with their away messages and standing (operators and voices are kept per node), in the
    /// order they came (IRC's NAMES and WHO); in a cluster, on every node (this node's members only, should the
    /// directory not answer).
    public func members(of room: RoomName) async -> [RoomMember] {
        let everyone = try? await self.cluster?.everyone()
        let local = self.rooms[room.key]
        func member(_ nickname: String, away: String?) -> RoomMember {
            let id = self.nicknames.sessionID(of: nickname)
            return RoomMember(
                nickname: nickname,
                away: away,
                isOperator: id.map { local?.operators.contains($0) ?? false } ?? false,
                isVoiced: id.map { local?.voiced.contains($0) ?? false } ?? false
            )
        }
        if let everyone {
            return everyone.filter { $0.isIn(roomKey: room.key) }.map { member($0.nickname, away: $0.awayMessage) }
        }
        return local?.members.map { member($0.nickname.name, away: $0.awayMessage) } ?? []
    }

    /// Every room with its member count, busiest first; in a cluster, counted on every node.
    public func roomList() async -> [(room: RoomName, members: Int)] {
        var counts: [String: (room: RoomName, members: Int)] = [:]
        if let cluster = self.cluster, let everyone = try? await cluster.everyone() {
            for presence in everyone {
                for room in presence.rooms {
                    guard let name = try? RoomName(validating: room) else { continue }
                    counts[name.key, default: (name, 0)].members += 1
                }
            }
        } else {
            for room in self.rooms.values { counts[room.name.key] = (room.name, room.members.count) }
        }
        return counts.values.filter { $0.members > 0 || $0.room == .lobby }
            .sorted { $0.members != $1.members ? $0.members > $1.members : $0.room.key < $1.room.key }
    }

    /// What `/whois` (and IRC's WHOIS) tells about `name`, or nil when nobody by that name is online; in a cluster,
    /// on any node.
    public func profile(of name: String) async -> UserProfile? {
        guard let id = self.nicknames.sessionID(of: name), let session = self.sessions[id] else {
            guard let cluster = self.cluster, let presence = try? await cluster.presence(of: name) else { return nil }
            return self.profile(of: presence)
        }
        return self.profile(of: session)
    }

    /// Everyone online, as WHO by mask lists them; in a cluster, on every node (this node's users only, should the
    /// directory not answer).
    public func everyoneOnline() async -> [UserProfile] {
        let everyone = try? await self.cluster?.everyone()
        let local = self.sessions.values.sorted { $0.joinSequence < $1.joinSequence }.map { self.profile(of: $0) }
        guard let everyone else { return local }
        let localKeys = Set(local.map { $0.nickname.lowercased() })
        return local + everyone.filter { !localKeys.contains($0.nickname.lowercased()) }.map { self.profile(of: $0) }
    }

    /// Where the user called `name` stands in `room` (operator, voiced), when they are this node's user in it.
    public func standing(of name: String, in room: RoomName) -> RoomMember? {
        guard let id = self.nicknames.sessionID(of: name), let session = self.sessions[id], session.isIn(room),
            let known = self.rooms[room.key]
        else { return nil }
        return RoomMember(
            nickname: session.nickname.name,
            away: session.awayMessage,
            isOperator: known.operators.contains(id),
            isVoiced: known.voiced.contains(id)
        )
    }

    /// Sets or clears IRC's user mode `+i` (see ``UserProfile/isInvisible``).
    public func setInvisible(_ id: SessionID, _ isInvisible: Bool) {
        self.sessions[id]?.isInvisible = isInvisible
    }

    private func profile(of session: Member) -> UserProfile {
        let now = ContinuousClock.now
        return UserProfile(
            nickname: session.nickname.name,
            rooms: session.rooms.reversed().map(\.name),
            node: self.cluster?.nodeName,
            connectedFor: now - session.connectedAt,
            connectedAt: session.joinedAt,
            idle: now - session.lastActivity,
            awayMessage: session.awayMessage,
            account: session.ownedAccount,
            username: session.ircIdentity?.username ?? session.nickname.name,
            realName: session.ircIdentity?.realName ?? session.nickname.name,
            isInvisible: session.isInvisible
        )
    }

    private func profile(of presence: Presence) -> UserProfile {
        UserProfile(
            nickname: presence.nickname,
            rooms: presence.rooms,
            node: presence.node,
            connectedFor: .milliseconds(max(0, Self.now() - presence.connectedAt)),
            connectedAt: presence.connectedAt,
            idle: nil,
            awayMessage: presence.awayMessage,
            account: presence.account,
            username: presence.nickname,
            realName: presence.nickname
        )
    }

    /// The `/whois` answer for `name`, or nil when nobody by that name is online (in a cluster: on any node, and
    /// which node is said).
    public func describe(_ name: String) async -> String? {
        guard let profile = await self.profile(of: name) else { return nil }
        var text =
            "\(profile.nickname) is \(Self.describeRooms(profile.rooms))"
            + (profile.node.map { " on node \($0)" } ?? "")
        text += profile.idle.map { ", idle \(DurationWording.compact($0))" } ?? ""
        text += ", connected for \(DurationWording.compact(profile.connectedFor))"
        if let away = profile.awayMessage {
            text += ", away: \(away)"
        }
        return text
    }

    /// `in #a`, `in #a, #b`, or `in no room`: where `/whois` says a user is, the focus first.
    static func describeRooms(_ rooms: [String]) -> String {
        rooms.isEmpty ? "in no room" : "in " + rooms.joined(separator: ", ")
    }

    /// Every connected user, for the admin console (rooms comma-separated, the focus first); in a cluster, on every node, with the node.
    public func connectedUsers() async -> [(nickname: String, room: String, address: String, node: String?)] {
        if let cluster = self.cluster, let everyone = try? await cluster.everyone() {
            return everyone.map { ($0.nickname, $0.rooms.joined(separator: ","), $0.address, $0.node) }
                .sorted { $0.0.lowercased() < $1.0.lowercased() }
        }
        return self.sessions.values
            .map {
                (
                    $0.nickname.name, $0.rooms.reversed().map(\.name).joined(separator: ","), $0.address,
                    self.cluster?.nodeName
                )
            }
            .sorted { $0.0.lowercased() < $1.0.lowercased() }
    }
}
