import ChatProtocol

extension ChatHub {
    /// Whether the room with key `roomKey` has more than ``bigRoomSize`` members: its comings and goings are then
    /// summed up (``countComingOrGoing(in:isArrival:)``) instead of told one by one. In a room of hundreds, a
    /// notice per arrival is noise to every reader and quadratic work for the server (10,000 people joining one
    /// room would be 50 million notices).
    func isBig(_ roomKey: String) -> Bool {
        (self.rooms[roomKey]?.members.count ?? 0) > self.bigRoomSize
    }

    /// Counts an arrival or a departure in a big room; the room hears the sum within ``bigRoomSummaryInterval``.
    func countComingOrGoing(in roomKey: String, isArrival: Bool) {
        guard self.rooms[roomKey] != nil else { return }
        if isArrival {
            self.rooms[roomKey]!.uncountedArrivals += 1
        } else {
            self.rooms[roomKey]!.uncountedDepartures += 1
        }
        guard !self.rooms[roomKey]!.isSummaryScheduled else { return }
        self.rooms[roomKey]!.isSummaryScheduled = true
        self.timers.schedule(after: self.bigRoomSummaryInterval) { [weak self] in
            await self?.summarizeComingsAndGoings(in: roomKey)
        }
    }

    /// `* 37 joined and 4 left #main`, to everyone in the room.
    private func summarizeComingsAndGoings(in roomKey: String) {
        guard let room = self.rooms[roomKey] else { return }
        self.rooms[roomKey]!.isSummaryScheduled = false
        self.rooms[roomKey]!.uncountedArrivals = 0
        self.rooms[roomKey]!.uncountedDepartures = 0
        guard
            !self.isShuttingDown,
            let summary = ChatEvent.comingsAndGoings(
                in: room.name.name,
                arrivals: room.uncountedArrivals,
                departures: room.uncountedDepartures
            )
        else { return }
        self.fanOut(summary, inRoom: roomKey)
    }
}
