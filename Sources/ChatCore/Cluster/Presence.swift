/// One user online somewhere in the cluster: the presence directory's row, kept by the node the user is connected to.
public struct Presence: Sendable, Equatable {
    public var nickname: String
    /// The node the user is connected to.
    public var node: String
    /// The room's name as shown (`#Main`), not its key.
    public var room: String
    /// The address as the per-address rules count it (``PeerAddress/key``), for the console's bans.
    public var address: String
    /// The registered nickname the user logged in as, nil for guests.
    public var account: String?
    public var awayMessage: String?
    /// When the user connected, in milliseconds since 1970.
    public var connectedAt: Int64

    public init(
        nickname: String,
        node: String,
        room: String,
        address: String,
        account: String?,
        awayMessage: String?,
        connectedAt: Int64
    ) {
        self.nickname = nickname
        self.node = node
        self.room = room
        self.address = address
        self.account = account
        self.awayMessage = awayMessage
        self.connectedAt = connectedAt
    }

    /// The nickname compared without case, as ``ChatProtocol/Nickname/key`` does.
    public var nicknameKey: String { self.nickname.lowercased() }
}
