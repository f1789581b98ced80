import ChatProtocol

/// Being in several rooms at once, as IRC users are: entering a room besides the others, leaving one, and choosing
/// which one the user's lines and commands go to. The plain and JSON protocols never call these: for them `/join`
/// moves (``switchRoom(_:to:)``), so their users are always in exactly one room.
extension ChatHub {
    /// Enters `candidate` besides the rooms the user is in and makes it the focus; the room hears
    /// `* NICK joined ROOM`, the user included (IRC echoes a JOIN to the joiner), then the user its topic. Returns the room as named, and
    /// false when the user was in it already (then only the focus moved, and nobody was told).
    @discardableResult
    public func enter(_ id: SessionID, room candidate: String) async throws(CommandError) -> (RoomName, entered: Bool) {
        guard self.touch(id) != nil else { throw .failed("You have left the chat.") }
        let target: RoomName
        do {
            target = try RoomName(validating: candidate)
        } catch {
            throw .failed("Invalid room name \"\(Sanitizer.clean(candidate))\": \(error)")
        }
        let start = await self.startOfFollowing(target.key)
        // The store's answer may have suspended: the user may have left or entered meanwhile.
        guard let session = self.sessions[id] else { throw .failed("You have left the chat.") }
        if let joined = session.rooms.first(where: { $0 == target }) {
            self.focus(id, on: joined)
            return (joined, false)
        }
        let entered = self.place(session, in: target, followingFrom: start)
        await self.tellTopic(to: id, of: entered)
        return (entered, true)
    }

    /// Puts `session` in `target` (created if new, followed from `start` in a cluster), in focus, and tells the room
    /// (the user included) and the other nodes `* NICK joined ROOM`. Returns the room as first named.
    @discardableResult
    func place(_ session: Member, in target: RoomName, followingFrom start: Int64?) -> RoomName {
        var room = self.rooms[target.key] ?? Room(name: target)
        if room.deliveredSequence == nil { room.deliveredSequence = start }
        if room.members.isEmpty && room.name != .lobby { room.operators = [session.id] }
        session.rooms.append(room.name)
        room.members.append(session)
        self.rooms[target.key] = room
        self.updatePresence(of: session)
        let joined = ChatEvent.joined(session.nickname.name, room: room.name.name)
        if self.isBig(room.name.key) {
            self.countComingOrGoing(in: room.name.key, isArrival: true)
            session.send(joined)
        } else {
            self.broadcast(joined, in: room.name, about: session.nickname)
        }
        self.publish(joined, in: room.name, about: session.nickname, change: .arrival)
        return room.name
    }

    /// Leaves one of the user's rooms (IRC's PART); its members, the user included, hear
    /// `* NICK left ROOM (REASON)`. The focus goes to the room entered before it, if any.
    public func part(_ id: SessionID, room: RoomName, reason: String?) throws(CommandError) {
        guard let session = self.touch(id) else { return }
        guard session.isIn(room) else { throw .failed("You are not in \(room).") }
        let parted = ChatEvent.parted(session.nickname.name, room: room.name, reason: reason)
        if self.isBig(room.key) {
            session.send(parted)
            self.removeFromRoom(session, room)
            self.countComingOrGoing(in: room.key, isArrival: false)
        } else {
            self.broadcast(parted, in: room, about: session.nickname)
            self.removeFromRoom(session, room)
        }
        self.updatePresence(of: session)
        self.publish(parted, in: room, about: session.nickname, change: .departure)
    }

    /// Makes `room` the one the user's lines and commands go to; false when the user is not in it.
    @discardableResult
    public func focus(_ id: SessionID, on room: RoomName) -> Bool {
        guard let session = self.sessions[id], let index = session.rooms.firstIndex(of: room) else { return false }
        if index != session.rooms.count - 1 {
            session.rooms.append(session.rooms.remove(at: index))
        }
        return true
    }

    /// The rooms the user is in, in the order entered, the focus last.
    public func roomsOf(_ id: SessionID) -> [RoomName] {
        self.sessions[id]?.rooms ?? []
    }
}
