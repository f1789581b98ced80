import ChatProtocol

extension ChatHub {
    /// Runs `body` for each member of the room with key `roomKey`, in the order they joined it. Every loop over a
    /// room's members goes through here; the rules about who hears what are in the callers.
    func forEachMember(ofRoom roomKey: String, _ body: (Member) -> Void) {
        guard let members = self.rooms[roomKey]?.members else { return }
        for member in members {
            body(member)
        }
    }

    /// Sends `event` to the members of the room with key `roomKey` except those `skip` names, encoded at most once per
    /// wire format, after any join notices still waiting (so nobody hears of a newcomer's doings before of them).
    func fanOut(_ event: ChatEvent, inRoom roomKey: String, skipping skip: (Member) -> Bool = { _ in false }) {
        self.flushJoinNotices()
        var encoded = EncodedEvent(event)
        self.forEachMember(ofRoom: roomKey) { member in
            guard !skip(member) else { return }
            member.send(&encoded)
        }
    }
}
