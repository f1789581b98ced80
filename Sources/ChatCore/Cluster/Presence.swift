/// One user online somewhere in the cluster: the presence directory's row, kept by the node the user is connected to.
public struct Presence: Sendable, Equatable {
    public var nickname: String
    /// The node the user is connected to.
    public var node: String
    /// The rooms the user is in, their names as shown (`#Main`), not their keys; the focus (where the user's lines
    /// go) first. One for the plain and JSON protocols; an IRC user may be in several, or none.
    public var rooms: [String]
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
        rooms: [String],
        address: String,
        account: String?,
        awayMessage: String?,
        connectedAt: Int64
    ) {
        self.nickname = nickname
        self.node = node
        self.rooms = rooms
        self.address = address
        self.account = account
        self.awayMessage = awayMessage
        self.connectedAt = connectedAt
    }

    /// Whether the user is in the room with key `roomKey`.
    public func isIn(roomKey: String) -> Bool {
        self.rooms.contains { $0.lowercased() == roomKey }
    }

    /// The nickname compared without case, as ``ChatProtocol/Nickname/key`` does.
    public var nicknameKey: String { self.nickname.lowercased() }
}
