import ChatProtocol

/// What the hub knows about one joined user. Lives inside ``ChatHub``; mutated only there.
///
/// A class, not a struct: fan-out looks up every member of a room for every message, and copying a struct with
/// strings and sets in it costs a retain and release per field per recipient.
final class Member {
    let id: SessionID
    /// Where this user's join falls in the hub's order of joins: join notices go to those who joined before.
    let joinSequence: UInt64
    var nickname: Nickname
    /// The rooms this user is in, in the order joined, the focus last (``room``). Exactly one for the plain and JSON
    /// protocols, where `/join` moves; an IRC user may be in several channels at once, or in none.
    var rooms: [RoomName]
    /// Where this user's output goes (the transport's queue).
    let recipient: any ChatRecipient
    /// The recipient renders events itself (``ChatRecipient/rendersEvents``): fan-out hands it events, not bytes.
    let rendersEvents: Bool
    let address: String
    /// The address as the per-address rules count it (``PeerAddress/key``), for banning a guest.
    let peerKey: String
    let connectedAt: ContinuousClock.Instant
    /// When the user joined, in milliseconds since 1970 (what the cluster directory shows).
    let joinedAt: Int64
    var lastActivity: ContinuousClock.Instant
    /// The registered nickname this user logged in as (or registered), even after a `/nick`; nil for guests.
    var ownedAccount: String?
    /// What an IRC client said about its user at registration (USER's user name and real name), for WHO and
    /// WHOIS; nil for the other doors, whose users are just their nicknames.
    var ircIdentity: (username: String, realName: String)?
    /// Set by `/away`; PMs to this user get it back.
    var awayMessage: String?
    /// IRC's user mode `+i` (see ``UserProfile/isInvisible``).
    var isInvisible = false
    /// The nicknames this user does not want to hear from.
    var ignoring = IgnoreList()
    /// Nickname key of whoever last sent this user a PM, for `/reply`.
    var lastPrivateMessageFrom: String?
    /// Set by `/fun off`: other people's command blocks are not shown to this user.
    var mutesFun = false
    /// The ticket of this user's latest room line, so later output can wait until it is out.
    var lastPostedLine: RoomLineTicket?

    init(
        id: SessionID,
        joinSequence: UInt64,
        nickname: Nickname,
        rooms: [RoomName],
        recipient: any ChatRecipient,
        address: String,
        peerKey: String,
        connectedAt: ContinuousClock.Instant,
        joinedAt: Int64,
        lastActivity: ContinuousClock.Instant,
        ownedAccount: String?
    ) {
        self.id = id
        self.joinSequence = joinSequence
        self.nickname = nickname
        self.rooms = rooms
        self.recipient = recipient
        self.rendersEvents = recipient.rendersEvents
        self.address = address
        self.peerKey = peerKey
        self.connectedAt = connectedAt
        self.joinedAt = joinedAt
        self.lastActivity = lastActivity
        self.ownedAccount = ownedAccount
    }

    /// The room this user's lines and commands go to: the one last joined or written to; nil for an IRC user in no
    /// channel.
    var room: RoomName? { self.rooms.last }

    /// Whether this user is in `room`.
    func isIn(_ room: RoomName) -> Bool {
        self.rooms.contains(room)
    }

    /// Sends one event shared with others (a room's fan-out), encoded at most once per wire format.
    func send(_ encoded: inout EncodedEvent) {
        if self.rendersEvents {
            self.recipient.send(encoded.event)
        } else {
            self.recipient.send(encoded.bytes(for: self.format))
        }
    }

    /// The wire format of this user's connection.
    var format: WireFormat { self.recipient.format }

    /// Sends one event to this user, encoded in the user's wire format (or rendered by its door).
    @discardableResult
    func send(_ event: ChatEvent) -> Bool {
        self.recipient.send(event)
    }
}
