import ChatProtocol

extension ChatHub {
    /// Changes a user's nickname; the user's rooms (and the user) hear `* old is now known as new`.
    public func rename(_ id: SessionID, to candidate: String) async throws(CommandError) {
        guard var session = self.touch(id) else { return }
        let newName: Nickname
        do {
            newName = try Nickname(validating: candidate)
        } catch {
            throw .failed("Invalid nickname \"\(Sanitizer.clean(candidate))\": \(error)")
        }
        let oldName = session.nickname
        if newName.name == oldName.name {
            throw .failed("You are already called \(oldName).")
        }
        if !self.nicknames.isFree(newName, forRenaming: oldName) {
            throw .failed("The nickname \(newName) is taken.")
        }
        if newName.key != oldName.key, session.ownedAccount?.lowercased() != newName.key,
            let store = self.persistence?.store, (try? await store.account(for: newName.name)) != nil
        {
            throw .failed("The nickname \(newName) is registered; connect as it and give its password to use it.")
        }
        // The store lookup suspended: look again, the name may have been taken meanwhile.
        guard self.sessions[id] != nil else { return }
        if !self.nicknames.isFree(newName, forRenaming: oldName) {
            throw .failed("The nickname \(newName) is taken.")
        }
        if let cluster = self.cluster, newName.key != oldName.key {
            self.nicknamesBeingClaimed.insert(newName.key)
            defer { self.nicknamesBeingClaimed.remove(newName.key) }
            let renamed: Bool
            do {
                var presence = self.presence(of: self.sessions[id]!, node: cluster.nodeName)
                presence.nickname = newName.name
                renamed = try await cluster.rename(from: oldName.key, to: presence)
            } catch {
                throw .failed("Nicknames cannot be checked right now (\(error)); try again in a moment.")
            }
            guard renamed else { throw .failed("The nickname \(newName) is taken.") }
            guard self.sessions[id] != nil else {
                await self.releaseInCluster(newName)
                return
            }
        }
        session = self.sessions[id]!
        self.nicknames.rename(id, from: oldName, to: newName)
        session.nickname = newName
        // Ignores and /reply targets follow the person, not the old name.
        for otherID in self.sessions.keys {
            self.sessions[otherID]!.ignoring.follow(oldName, to: newName)
            if self.sessions[otherID]!.lastPrivateMessageFrom == oldName.key {
                self.sessions[otherID]!.lastPrivateMessageFrom = newName.key
            }
        }
        // Someone who shares several rooms with the user (IRC) hears it once; a user in no room hears it alone.
        var told: Set<ObjectIdentifier> = []
        for room in session.rooms {
            let renamed = ChatEvent.renamed(oldName.name, to: newName.name, room: room.name)
            self.fanOut(renamed, inRoom: room.key) { member in
                member.ignoring.contains(newName.key) || !told.insert(ObjectIdentifier(member)).inserted
            }
            self.publish(renamed, in: room, about: newName)
        }
        if session.rooms.isEmpty {
            session.send(ChatEvent.renamed(oldName.name, to: newName.name, room: ""))
        }
        if newName.key == oldName.key { self.updatePresence(of: session) }
    }

    /// Moves a user to another room, creating it if new: out of the room they are in (for an IRC user in several,
    /// the one in focus), into the new one.
    public func switchRoom(_ id: SessionID, to candidate: String) async throws(CommandError) {
        guard var session = self.touch(id) else { return }
        let target: RoomName
        do {
            target = try RoomName(validating: candidate)
        } catch {
            throw .failed("Invalid room name \"\(Sanitizer.clean(candidate))\": \(error)")
        }
        if session.isIn(target) {
            throw .failed("You are already in \(target).")
        }
        let start = await self.startOfFollowing(target.key)
        // The store's answer may have suspended: the user may have left or moved meanwhile.
        guard let current = self.sessions[id] else { return }
        session = current
        if session.isIn(target) { throw .failed("You are already in \(target).") }
        if let oldRoom = session.room {
            let oldRoomWasBig = self.isBig(oldRoom.key)
            self.removeFromRoom(session, oldRoom)
            // The directory first, in order with the departure, and in the new room already: whoever sees the
            // departure and asks `/who` or `/rooms` finds the user where they went (a part does the same).
            self.updatePresence(of: session, entering: target)
            let left = ChatEvent.moved(session.nickname.name, from: oldRoom.name, to: target.name)
            if oldRoomWasBig {
                self.countComingOrGoing(in: oldRoom.key, isArrival: false)
            } else {
                self.broadcast(left, in: oldRoom, about: session.nickname)
            }
            self.publish(left, in: oldRoom, about: session.nickname, change: .departure)
        }
        let entered = self.place(session, in: target, followingFrom: start)
        await self.tellTopic(to: id, of: entered)
    }

    /// Sets (or, with nil, clears) a user's away message; `confirms`: the user is told (a door that answers in its
    /// own words, IRC's 305 and 306, says no).
    public func setAway(_ id: SessionID, message: String?, confirms: Bool = true) {
        guard self.sessions[id] != nil else { return }
        self.sessions[id]!.awayMessage = message
        self.updatePresence(of: self.sessions[id]!)
        guard confirms else { return }
        let text = message.map { "You are marked as away: \($0)" } ?? "You are no longer marked as away."
        self.sessions[id]!.send(.notice(text))
    }

    /// Whether the user logged in with a registered nickname's password.
    public func isRegistered(_ id: SessionID) -> Bool {
        guard let session = self.sessions[id], let account = session.ownedAccount else { return false }
        return account.lowercased() == session.nickname.key
    }

    /// Marks the user as the owner of their (now registered) nickname.
    public func markRegistered(_ id: SessionID) {
        // Read first, then write: one statement doing both would access `sessions` twice at once.
        guard let name = self.sessions[id]?.nickname.name else { return }
        self.sessions[id]?.ownedAccount = name
        self.updatePresence(of: self.sessions[id]!)
    }
}
