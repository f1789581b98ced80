extension ChatHub {
    /// Disconnects whoever uses `nickname`; the room hears why. False when nobody does.
    @discardableResult
    public func kick(_ nickname: String, reason: String) async -> Bool {
        guard let id = self.sessionID(of: nickname) else { return false }
        self.deliver(.error("You have been disconnected: \(reason)."), to: id)
        let outbox = self.outbox(of: id)
        await self.leave(id, reason: reason)
        await outbox?.flushAndClose()
        return true
    }

    /// Frees a registered nickname held by a stale connection, when its owner logs in again elsewhere.
    public func takeOver(_ nickname: String) async {
        await self.kick(nickname, reason: "logged in from elsewhere")
    }
}
