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

    /// The `/who` answer: the members of the user's room, with away messages.
    public func membersOfRoom(of id: SessionID) -> (room: RoomName, members: [String]) {
        guard let session = self.sessions[id], let room = self.rooms[session.room.key] else {
            return (.lobby, [])
        }
        let members = room.members.map { member in
            member.awayMessage.map { "\(member.nickname) (away: \($0))" } ?? member.nickname.name
        }
        return (room.name, members)
    }

    /// Every room with its member count, busiest first.
    public func roomList() -> [(room: RoomName, members: Int)] {
        self.rooms.values
            .map { ($0.name, $0.members.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.key < $1.0.key }
    }

    /// The `/whois` answer for `name`, or nil when nobody by that name is online.
    public func describe(_ name: String) -> String? {
        guard let id = self.nicknames.sessionID(of: name), let session = self.sessions[id] else {
            return nil
        }
        let now = ContinuousClock.now
        var text = "\(session.nickname) is in \(session.room), "
        text += "idle \(DurationWording.compact(now - session.lastActivity)), "
        text += "connected for \(DurationWording.compact(now - session.connectedAt))"
        if let away = session.awayMessage {
            text += ", away: \(away)"
        }
        return text
    }

    /// Every connected user, for the admin console.
    public func connectedUsers() -> [(nickname: String, room: String, address: String)] {
        self.sessions.values
            .map { ($0.nickname.name, $0.room.name, $0.address) }
            .sorted { $0.0.lowercased() < $1.0.lowercased() }
    }
}
