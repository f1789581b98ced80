import ChatProtocol

/// Which session goes by which nickname: at most one session per nickname, compared without case (``Nickname/key``),
/// so `Alice` and `alice` can never be online at once and `/msg ALICE` finds her.
struct NicknameDirectory {
    private var sessionsByKey: [String: SessionID] = [:]

    /// Whether someone goes by `nickname` right now.
    func isTaken(_ nickname: Nickname) -> Bool {
        self.sessionsByKey[nickname.key] != nil
    }

    /// The session going by `name` (any case), if any; `name` need not be a valid nickname.
    func sessionID(of name: String) -> SessionID? {
        self.sessionsByKey[name.lowercased()]
    }

    /// Whether the user now called `current` may take `candidate`: it is free, or it is their own name in another
    /// case (`alice` becoming `Alice`).
    func isFree(_ candidate: Nickname, forRenaming current: Nickname) -> Bool {
        candidate.key == current.key || !self.isTaken(candidate)
    }

    /// Records that `id` goes by `nickname`; the caller has checked ``isTaken(_:)``.
    mutating func claim(_ nickname: Nickname, for id: SessionID) {
        self.sessionsByKey[nickname.key] = id
    }

    /// Frees `nickname` for whoever comes next.
    mutating func release(_ nickname: Nickname) {
        self.sessionsByKey.removeValue(forKey: nickname.key)
    }

    /// Moves `id` from `old` to `new`; the caller has checked ``isFree(_:forRenaming:)``.
    mutating func rename(_ id: SessionID, from old: Nickname, to new: Nickname) {
        self.release(old)
        self.claim(new, for: id)
    }
}
