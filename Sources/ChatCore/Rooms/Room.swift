import ChatProtocol

/// A room and who is in it. Lives inside ``ChatHub``.
struct Room {
    let name: RoomName
    /// Members in the order they joined, so `/who` reads naturally. The sessions themselves, not their ids: fan-out
    /// walks this list for every message, and a dictionary look-up per recipient was a measurable share of it.
    var members: [Session] = []
    /// Who spoke last here, for `/eyes`.
    var lastSpeaker: SessionID?
    /// The last big block (`/train` and the like) posted here: until it has cooled down, others are refused, so
    /// nobody can wallpaper the room.
    var lastBigBlock: BigBlock?

    /// A big block, remembered so a refusal can say what is cooling down and who caused it.
    struct BigBlock {
        let command: String
        let postedBy: Nickname
        let nextAllowedAt: ContinuousClock.Instant
    }

    mutating func remove(_ id: SessionID) {
        self.members.removeAll { $0.id == id }
    }
}
