/// A registered nickname.
public struct Account: Sendable, Equatable {
    public var nickname: String
    /// `scrypt$N$r$p$salt$hash` (base64 parts); never the password.
    public var passwordHash: String
    public var isBanned: Bool
    /// The newest room message id when the owner last left, for "what the room said since".
    public var lastSeenMessageID: Int64

    public init(nickname: String, passwordHash: String, isBanned: Bool, lastSeenMessageID: Int64) {
        self.nickname = nickname
        self.passwordHash = passwordHash
        self.isBanned = isBanned
        self.lastSeenMessageID = lastSeenMessageID
    }
}
