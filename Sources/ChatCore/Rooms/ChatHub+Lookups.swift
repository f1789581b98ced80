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

    /// A user's nickname and room.
    public func whereabouts(of id: SessionID) -> (nickname: Nickname, room: RoomName)? {
        self.sessions[id].map { ($0.nickname, $0.room) }
    }

    /// Who spoke last in the user's room, and whether they come before (-1) or after (+1) the user in the
    /// member list (0: the user, or nobody yet). `/eyes` looks that way.
    public func lastSpeaker(seenBy id: SessionID) -> (nickname: Nickname, direction: Int)? {
        guard let session = self.sessions[id], let room = self.rooms[session.room.key],
            let speakerID = room.lastSpeaker, let speaker = self.sessions[speakerID],
            let speakerIndex = room.members.firstIndex(where: { $0.id == speakerID }),
            let ownIndex = room.members.firstIndex(where: { $0.id == id })
        else { return nil }
        return (speaker.nickname, speakerIndex < ownIndex ? -1 : speakerIndex > ownIndex ? 1 : 0)
    }

    /// The `/who` answer: the members of the user's room, with away messages; in a cluster, on every node (this
    /// node's members only, should the directory not answer).
    public func membersOfRoom(of id: SessionID) async -> (room: RoomName, members: [String]) {
        guard let session = self.sessions[id], let room = self.rooms[session.room.key] else {
            return (.lobby, [])
        }
        if let cluster = self.cluster, let everyone = try? await cluster.everyone() {
            let members = everyone.filter { $0.room.lowercased() == room.name.key }.map { presence in
                presence.awayMessage.map { "\(presence.nickname) (away: \($0))" } ?? presence.nickname
            }
            return (room.name, members)
        }
        let members = room.members.map { member in
            member.awayMessage.map { "\(member.nickname) (away: \($0))" } ?? member.nickname.name
        }
        return (room.name, members)
    }

    /// Every room with its member count, busiest first; in a cluster, counted on every node.
    public func roomList() async -> [(room: RoomName, members: Int)] {
        var counts: [String: (room: RoomName, members: Int)] = [:]
        if let cluster = self.cluster, let everyone = try? await cluster.everyone() {
            for presence in everyone {
                guard let name = try? RoomName(validating: presence.room) else { continue }
                counts[name.key, default: (name, 0)].members += 1
            }
        } else {
            for room in self.rooms.values { counts[room.name.key] = (room.name, room.members.count) }
        }
        return counts.values.filter { $0.members > 0 || $0.room == .lobby }
            .sorted { $0.members != $1.members ? $0.members > $1.members : $0.room.key < $1.room.key }
    }

    /// The `/whois` answer for `name`, or nil when nobody by that name is online (in a cluster: on any node, and
    /// which node is said).
    public func describe(_ name: String) async -> String? {
        guard let id = self.nicknames.sessionID(of: name), let session = self.sessions[id] else {
            guard let cluster = self.cluster, let presence = try? await cluster.presence(of: name) else { return nil }
            var text = "\(presence.nickname) is in \(presence.room) on node \(presence.node), "
            let connected = Duration.milliseconds(max(0, Self.now() - presence.connectedAt))
            text += "connected for \(DurationWording.compact(connected))"
            if let away = presence.awayMessage {
                text += ", away: \(away)"
            }
            return text
        }
        let now = ContinuousClock.now
        var text = "\(session.nickname) is in \(session.room)" + (self.cluster.map { " on node \($0.nodeName)" } ?? "")
        text += ", idle \(DurationWording.compact(now - session.lastActivity)), "
        text += "connected for \(DurationWording.compact(now - session.connectedAt))"
        if let away = session.awayMessage {
            text += ", away: \(away)"
        }
        return text
    }

    /// Every connected user, for the admin console; in a cluster, on every node, with the node.
    public func connectedUsers() async -> [(nickname: String, room: String, address: String, node: String?)] {
        if let cluster = self.cluster, let everyone = try? await cluster.everyone() {
            return everyone.map { ($0.nickname, $0.room, $0.address, $0.node) }
                .sorted { $0.0.lowercased() < $1.0.lowercased() }
        }
        return self.sessions.values
            .map { ($0.nickname.name, $0.room.name, $0.address, self.cluster?.nodeName) }
            .sorted { $0.0.lowercased() < $1.0.lowercased() }
    }
}
