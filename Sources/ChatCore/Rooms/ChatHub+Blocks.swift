import ChatProtocol

extension ChatHub {
    /// A multi-line block from a command, under a `* NICK ran /COMMAND ARGS` header: to the caller's whole room
    /// (caller included; those with `/fun off` skipped) or to the caller only.
    ///
    /// With `roomCooldown`, the block is big: it is refused while the room's previous big block is younger than
    /// that, so nobody can wallpaper a room.
    public func postBlock(
        _ lines: [String],
        command: String,
        arguments: String = "",
        animation: String? = nil,
        from id: SessionID,
        toRoom: Bool,
        roomCooldown: Duration? = nil
    ) throws(CommandError) {
        guard let sender = self.touch(id) else { return }
        guard let room = sender.room ?? (toRoom ? nil : .lobby) else {
            throw .failed("You are in no room; join one first.")
        }
        let now = ContinuousClock.now
        if toRoom, let roomCooldown {
            if let last = self.rooms[room.key]?.lastBigBlock, last.nextAllowedAt > now {
                let seconds = Int((last.nextAllowedAt - now).components.seconds) + 1
                throw .failed(
                    "\(room) just had a big block (/\(last.command) by \(last.postedBy)); "
                        + "/\(command) can run in \(seconds)s."
                )
            }
            self.rooms[room.key]?.lastBigBlock = Room.BigBlock(
                command: command,
                postedBy: sender.nickname,
                nextAllowedAt: now + roomCooldown
            )
        }
        let shownArguments = arguments.count > 60 ? arguments.prefix(57) + "..." : Substring(arguments)
        let header = "\(sender.nickname) ran /\(command)" + (shownArguments.isEmpty ? "" : " \(shownArguments)")
        let event = ChatEvent(
            kind: .block,
            text: header,
            from: sender.nickname.name,
            room: toRoom ? room.name : sender.room?.name,
            command: command,
            lines: lines,
            animation: animation,
            time: Self.now()
        )
        guard toRoom else {
            sender.send(event)
            return
        }
        self.fanOut(event, inRoom: room.key) { member in
            member.id != id && (member.mutesFun || member.ignoring.contains(sender.nickname.key))
        }
        self.publish(event, in: room, about: sender.nickname)
    }

    /// Turns other people's command blocks off (or back on) for a user.
    public func setFunMuted(_ muted: Bool, for id: SessionID) {
        self.sessions[id]?.mutesFun = muted
    }
}
