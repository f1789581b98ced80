/// A room and who is in it. Lives inside ``ChatHub``.
struct Room {
    let name: RoomName
    /// Members in the order they joined, so `/who` reads naturally. The sessions themselves, not their ids: fan-out
    /// walks this list for every message, and a dictionary look-up per recipient was a measurable share of it.
    var members: [Session] = []
    /// Who spoke last here, for `/eyes`.
    var lastSpeaker: SessionID?
    /// Until when big blocks (`/train` and the like) are refused here, so nobody can wallpaper the room.
    var bigBlocksAllowedAfter: ContinuousClock.Instant?

    mutating func remove(_ id: SessionID) {
        self.members.removeAll { $0.id == id }
    }
}
