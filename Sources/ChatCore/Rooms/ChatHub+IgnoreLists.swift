import ChatProtocol

extension ChatHub {
    /// The most nicknames one user may ignore: `/ignore` lists them in one line.
    public static let maximumIgnored = IgnoreList.maximum

    /// Adds `name` to a user's ignore list (kept with their account, when they have one).
    public func ignore(_ name: String, by id: SessionID) async throws(CommandError) {
        guard let session = self.sessions[id] else { return }
        let nickname = try session.ignoring.add(name, by: session.nickname)
        if let account = session.ownedAccount, let store = self.persistence?.store {
            try? await store.setIgnored(true, nickname.key, by: account)
        }
        session.send(.notice("You are now ignoring \(nickname); /unignore \(nickname) to hear them again."))
    }

    /// Removes `name` from a user's ignore list.
    public func unignore(_ name: String, by id: SessionID) async throws(CommandError) {
        guard let session = self.sessions[id] else { return }
        let key = try session.ignoring.remove(name)
        if let account = session.ownedAccount, let store = self.persistence?.store {
            try? await store.setIgnored(false, key, by: account)
        }
        session.send(.notice("You are no longer ignoring \(name)."))
    }

    /// Gives a registered user back the ignore list kept with their account.
    public func restoreIgnoreList(of id: SessionID) async {
        guard let account = self.sessions[id]?.ownedAccount, let store = self.persistence?.store,
            let kept = try? await store.ignoredNicknames(by: account)
        else { return }
        self.sessions[id]?.ignoring.restore(kept)
    }

    /// The nicknames a user ignores, sorted.
    public func ignoreList(of id: SessionID) -> [String] {
        self.sessions[id]?.ignoring.sorted ?? []
    }
}
