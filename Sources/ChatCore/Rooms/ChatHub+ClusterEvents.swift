import ChatProtocol

/// What the other nodes of the cluster tell this one, applied to this node's users only: each node applies its own
/// events itself as it publishes them.
///
/// Whatever reaches a user is cleaned first, as stored text is: a notification is input from the database, and
/// anyone who can connect to it can send one.
extension ChatHub {
    /// Applies one event from another node.
    public func receive(_ event: ClusterEvent) async {
        switch event {
        case .roomLines(let rooms):
            for lines in rooms {
                await self.receiveRoomLines(lines)
            }
        case .roomEvent(let roomEvent):
            self.receiveRoomEvent(roomEvent)
        case .privateMessage(let message):
            await self.receivePrivateMessage(message)
        case .announcement(let text):
            self.announceHere(StoredText.clean(text))
        case .kick(var kick):
            kick.reason = StoredText.clean(kick.reason)
            await self.kickHere(kick)
        case .addressBan(let ban):
            self.addressBans.add(ban.ban)
        case .liftedAddressBans(let addresses):
            for address in addresses { _ = self.addressBans.lift(address) }
        case .loginOutcome(let outcome):
            self.accountLimits.login.record(right: outcome.right, nickname: outcome.nickname, address: outcome.address)
        }
    }

    /// A notice or block for a room: to its members here, except those ignoring whom it is about (and, for a block,
    /// those with `/fun off`); in a big room, arrivals and departures are counted into its summary instead.
    private func receiveRoomEvent(_ roomEvent: ClusterEvent.RoomEvent) {
        let key = roomEvent.room.lowercased()
        // Only what a room event can be: a notice or a command's block, never a forged `! ` or private message.
        guard self.rooms[key] != nil, roomEvent.event.kind == .notice || roomEvent.event.kind == .block else { return }
        var roomEvent = roomEvent
        roomEvent.event.text = StoredText.clean(roomEvent.event.text)
        roomEvent.event.from = roomEvent.event.from.map(StoredText.clean)
        roomEvent.event.lines = roomEvent.event.lines?.map(StoredText.clean)
        if let change = roomEvent.change, self.isBig(key) {
            self.countComingOrGoing(in: key, isArrival: change == .arrival)
            return
        }
        if case .topicChanged(let nickname, _, let topic) = roomEvent.event.occurrence {
            // Rebuilt from cleaned words, so the typed topic a door renders is as clean as the text.
            let nickname = StoredText.clean(nickname)
            let topic = topic.map(StoredText.clean)
            roomEvent.event = ChatEvent.topicChanged(nickname, room: roomEvent.room, to: topic)
            self.followTopicChange(in: key, setBy: nickname, to: topic)
        }
        if case .roomNotice(let nickname, _, let text) = roomEvent.event.occurrence {
            let cleaned = ChatEvent.roomNotice(
                StoredText.clean(nickname),
                room: roomEvent.room,
                text: StoredText.clean(text)
            )
            roomEvent.event = cleaned
        }
        let aboutKey = roomEvent.about?.lowercased()
        let isBlock = roomEvent.event.kind == .block
        self.fanOut(roomEvent.event, inRoom: key) { member in
            (isBlock && member.mutesFun) || (aboutKey.map { member.ignoring.contains($0) } ?? false)
        }
    }

    /// A private message from another node's user to one of this node's. One who left meanwhile (the directory
    /// showed them here a moment ago) gets it at their next login, when their nickname is registered.
    private func receivePrivateMessage(_ message: ClusterEvent.PrivateMessage) async {
        guard Nickname.isPlausible(message.from) else { return }
        var message = message
        message.text = StoredText.clean(message.text)
        guard let id = self.nicknames.sessionID(of: message.to), let recipient = self.sessions[id] else {
            guard let store = self.persistence?.store,
                let account = try? await store.account(for: message.to)
            else { return }
            let stored = StoredPrivateMessage(
                sender: message.from,
                recipient: account.nickname,
                text: message.text,
                time: message.time
            )
            try? await store.storePrivateMessage(stored, delivered: false)
            return
        }
        let senderKey = message.from.lowercased()
        guard !recipient.ignoring.contains(senderKey) else { return }
        recipient.send(ChatEvent(kind: .privateMessage, text: message.text, from: message.from, time: message.time))
        recipient.lastPrivateMessageFrom = senderKey
    }

    /// Disconnects this node's users that a kick on another node names.
    private func kickHere(_ kick: ClusterEvent.Kick) async {
        switch kick.target {
        case .nickname(let nickname): await self.kick(nickname, reason: kick.reason)
        case .account(let account): await self.kickAccount(account, reason: kick.reason)
        case .address(let address): await self.kickAll(from: address, reason: kick.reason)
        }
    }

    /// Reads the address bans from the store again (after this node's link to the cluster came back: a ban made
    /// on another node meanwhile was told while this node could not hear).
    public func reloadAddressBans() async {
        guard let bans = try? await self.persistence?.store.addressBans() else { return }
        for ban in bans { self.addressBans.add(ban) }
    }
}
