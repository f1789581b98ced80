import ChatProtocol

extension ChatHub {
    /// Sends `event` to one user.
    public func deliver(_ event: ChatEvent, to id: SessionID) {
        self.sessions[id]?.send(event)
    }

    /// An admin announcement, `* server: TEXT`, to everyone in every room, on every node.
    public func announce(_ text: String) {
        self.cluster?.publish(.announcement(text))
        self.announceHere(text)
    }

    /// An announcement to this node's users.
    func announceHere(_ text: String) {
        let event = ChatEvent.announcement(text)
        for roomKey in self.rooms.keys {
            self.fanOut(event, inRoom: roomKey)
        }
    }
}
