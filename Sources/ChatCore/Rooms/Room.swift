/// A room and who is in it. Lives inside ``ChatHub``.
struct Room {
    let name: RoomName
    /// Members in the order they joined, so `/who` reads naturally.
    var members: [SessionID] = []

    mutating func remove(_ id: SessionID) {
        self.members.removeAll { $0 == id }
    }
}
