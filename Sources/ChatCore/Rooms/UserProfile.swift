/// One online user as `/whois` and IRC's WHOIS describe them, wherever in the cluster they are connected.
public struct UserProfile: Sendable, Equatable {
    public var nickname: String
    /// The rooms the user is in, the focus first.
    public var rooms: [String]
    /// The node the user is connected to, in a cluster.
    public var node: String?
    public var connectedFor: Duration
    /// When the user joined, in milliseconds since 1970.
    public var connectedAt: Int64
    /// Since the user last did anything; nil for a user of another node (the directory does not keep it).
    public var idle: Duration?
    public var awayMessage: String?
    /// The registered nickname the user logged in as, nil for guests.
    public var account: String?
    /// The user name and real name an IRC client gave (USER); the nickname for everyone else.
    public var username: String
    public var realName: String
    /// IRC's user mode `+i`: a WHO by mask does not list the user to someone who shares no room with them. Known
    /// for this node's users only (false for others).
    public var isInvisible = false
}
