import ChatProtocol

/// A room and who is in it. Lives inside ``ChatHub``.
struct Room {
    let name: RoomName
    /// Members in the order they joined, so `/who` reads naturally. The sessions themselves, not their ids: fan-out
    /// walks this list for every message, and a dictionary look-up per recipient was a measurable share of it.
    var members: [Member] = []
    /// In a cluster: the room's sequence up to which its lines have been delivered here (``ChatHub``'s sequenced
    /// delivery); nil until this node follows the room.
    var deliveredSequence: Int64?
    /// The room's topic, as the store has it, once ``knowsTopic``: read from the store when the first member here
    /// enters, then kept current by `/topic` here and, in a cluster, by other nodes' topic changes.
    var topic: RoomTopic?
    var knowsTopic = false
    /// Operators (IRC's `@`) and voiced members (`+`). Whoever creates a room (the lobby aside, which belongs to
    /// everyone) is its first operator; operators make others operators. Kept while the room has members here.
    var operators: Set<SessionID> = []
    var voiced: Set<SessionID> = []
    /// `+t`: only operators set the topic. Rooms start unlocked: anyone in a room sets its topic.
    var isTopicLocked = false
    /// Who spoke last here, for `/eyes`.
    var lastSpeaker: SessionID?
    /// The last big block (`/train` and the like) posted here: until it has cooled down, others are refused, so
    /// nobody can wallpaper the room.
    var lastBigBlock: BigBlock?
    /// In a big room (see `ChatHub.isBig`): arrivals and departures since the room last heard their sum.
    var uncountedArrivals = 0
    var uncountedDepartures = 0
    var isSummaryScheduled = false

    /// A big block, remembered so a refusal can say what is cooling down and who caused it.
    struct BigBlock {
        let command: String
        let postedBy: Nickname
        let nextAllowedAt: ContinuousClock.Instant
    }

    mutating func remove(_ id: SessionID) {
        self.members.removeAll { $0.id == id }
        self.operators.remove(id)
        self.voiced.remove(id)
    }
}
