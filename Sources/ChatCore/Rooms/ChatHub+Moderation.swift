import ChatProtocol

extension ChatHub {
    /// Disconnects whoever uses `nickname`; the room hears why. False when nobody does.
    @discardableResult
    public func kick(_ nickname: String, reason: String) async -> Bool {
        guard let id = self.sessionID(of: nickname) else { return false }
        self.deliver(.error("You have been disconnected: \(reason)."), to: id)
        let recipient = self.recipient(of: id)
        await self.leave(id, reason: reason)
        await recipient?.flushAndClose()
        return true
    }

    /// Disconnects every session logged into the registered nickname `account`, whatever nickname it uses now
    /// (and whoever uses the nickname itself). Returns how many.
    @discardableResult
    public func kickAccount(_ account: String, reason: String) async -> Int {
        let key = account.lowercased()
        let names = self.sessions.values
            .filter { $0.ownedAccount?.lowercased() == key || $0.nickname.key == key }
            .map(\.nickname.name)
        for name in names {
            await self.kick(name, reason: reason)
        }
        return names.count
    }

    /// Disconnects everyone who connects from the address key `address`; the room hears why. Returns their
    /// nicknames.
    @discardableResult
    public func kickAll(from address: String, reason: String) async -> [String] {
        let names = self.sessions.values.filter { $0.peerKey == address }.map(\.nickname.name).sorted()
        for name in names {
            await self.kick(name, reason: reason)
        }
        return names
    }

    /// Where the sessions logged into the registered nickname `account` (or using the nickname itself) connect
    /// from, and where its sessions came from lately (``RecentAccountAddresses``), as ``PeerAddress/key``s, each
    /// once: a ban of the account bans these too, or its owner would be back at once as a guest with a new account.
    public func peerKeys(ofAccount account: String) -> [String] {
        let key = account.lowercased()
        let online = self.sessions.values
            .filter { $0.ownedAccount?.lowercased() == key || $0.nickname.key == key }
            .map(\.peerKey)
        return Array(Set(online + self.recentAccountAddresses.addresses(of: account))).sorted()
    }

    /// Where whoever uses `nickname` connects from (``PeerAddress/key``).
    public func peerKey(of nickname: String) -> String? {
        self.sessionID(of: nickname).flatMap { self.sessions[$0]?.peerKey }
    }

    /// Frees a registered nickname held by a stale connection, when its owner logs in again elsewhere.
    public func takeOver(_ nickname: String) async {
        await self.kick(nickname, reason: "logged in from elsewhere")
    }
}
