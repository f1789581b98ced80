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

    /// Frees a registered nickname held by a stale connection, when its owner logs in again elsewhere: here, or on
    /// another node, waiting (a few seconds at most) until that node has let it go.
    public func takeOver(_ nickname: String) async {
        let reason = "logged in from elsewhere"
        if await self.kick(nickname, reason: reason) { return }
        guard let cluster = self.cluster, (try? await cluster.presence(of: nickname)) != nil else { return }
        cluster.publish(.kick(ClusterEvent.Kick(target: .nickname(nickname), reason: reason)))
        for _ in 0..<50 {
            try? await Task.sleep(for: .milliseconds(100))
            guard (try? await cluster.presence(of: nickname)) != nil else { return }
        }
    }

    // MARK: Across the cluster (the console's moderation)

    /// Disconnects whoever uses `nickname`, on whichever node. False when nobody does.
    public func kickAnywhere(_ nickname: String, reason: String) async -> Bool {
        if await self.kick(nickname, reason: reason) { return true }
        guard let cluster = self.cluster, (try? await cluster.presence(of: nickname)) != nil else { return false }
        cluster.publish(.kick(ClusterEvent.Kick(target: .nickname(nickname), reason: reason)))
        return true
    }

    /// ``kickAccount(_:reason:)`` on every node; returns how many were disconnected here and, in a cluster, how many
    /// the directory shows elsewhere.
    public func kickAccountAnywhere(_ account: String, reason: String) async -> Int {
        let here = await self.kickAccount(account, reason: reason)
        guard let cluster = self.cluster else { return here }
        cluster.publish(.kick(ClusterEvent.Kick(target: .account(account), reason: reason)))
        let key = account.lowercased()
        let elsewhere = (try? await cluster.everyone())?.filter {
            $0.node != cluster.nodeName && ($0.account?.lowercased() == key || $0.nicknameKey == key)
        }
        return here + (elsewhere?.count ?? 0)
    }

    /// ``kickAll(from:reason:)`` on every node; returns the nicknames disconnected (those elsewhere as the
    /// directory shows them).
    public func kickAllAnywhere(from address: String, reason: String) async -> [String] {
        let here = await self.kickAll(from: address, reason: reason)
        guard let cluster = self.cluster else { return here }
        cluster.publish(.kick(ClusterEvent.Kick(target: .address(address), reason: reason)))
        let elsewhere = (try? await cluster.everyone())?.filter { $0.node != cluster.nodeName && $0.address == address }
        return (here + (elsewhere?.map(\.nickname) ?? [])).sorted()
    }

    /// Where whoever uses `nickname` connects from, on whichever node.
    public func peerKeyAnywhere(of nickname: String) async -> String? {
        if let here = self.peerKey(of: nickname) { return here }
        return try? await self.cluster?.presence(of: nickname)?.address
    }

    /// ``peerKeys(ofAccount:)`` plus the addresses the directory shows for the account's sessions on other nodes.
    public func peerKeysAnywhere(ofAccount account: String) async -> [String] {
        let here = self.peerKeys(ofAccount: account)
        guard let cluster = self.cluster, let everyone = try? await cluster.everyone() else { return here }
        let key = account.lowercased()
        let elsewhere = everyone.filter { $0.account?.lowercased() == key || $0.nicknameKey == key }.map(\.address)
        return Array(Set(here + elsewhere)).sorted()
    }

    /// Tells the other nodes to refuse an address the console banned here.
    public func shareAddressBan(_ ban: AddressBans.Ban) {
        self.cluster?.publish(.addressBan(ClusterEvent.AddressBan(ban)))
    }

    /// Tells the other nodes that the console lifted the bans on `addresses`.
    public func shareLiftedAddressBans(_ addresses: [String]) {
        guard !addresses.isEmpty else { return }
        self.cluster?.publish(.liftedAddressBans(addresses))
    }
}
