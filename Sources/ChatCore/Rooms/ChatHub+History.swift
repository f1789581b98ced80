import ChatProtocol

extension ChatHub {
    /// Replays a room's history to a user who just joined it (by default, the room in focus): the last `--history`
    /// messages, or, for a returning registered user, what was said since they left (capped, then a pointer to
    /// /history).
    public func replayHistory(to id: SessionID, sinceMessageID: Int64? = nil, of room: RoomName? = nil) async {
        guard let persistence = self.persistence, persistence.keepsRoomHistory,
            let room = room ?? self.whereabouts(of: id)?.room
        else { return }
        do {
            if let since = sinceMessageID {
                let total = try await persistence.store.countMessages(in: room.name, afterID: since)
                guard total > 0 else { return }
                let messages = try await persistence.store.recentMessages(
                    in: room.name,
                    limit: persistence.catchUpLimit,
                    afterID: since
                )
                if total > messages.count {
                    self.deliver(.notice("\(total - messages.count) more since you left; /history shows more."), to: id)
                }
                await self.deliverPaced(messages.map(\.historyEvent), to: id)
                return
            }
            guard persistence.historyOnJoin > 0 else { return }
            let messages = try await persistence.store.recentMessages(in: room.name, limit: persistence.historyOnJoin)
            await self.deliverPaced(messages.map(\.historyEvent), to: id)
        } catch {
            self.deliver(.error("The history of \(room) could not be read: \(error)"), to: id)
        }
    }

    /// `/history N`: the last N messages of the user's room.
    public func showHistory(to id: SessionID, count: Int) async throws(CommandError) {
        guard let persistence = self.persistence, persistence.keepsRoomHistory else {
            throw .failed("This server keeps no history.")
        }
        guard let (_, room) = self.whereabouts(of: id) else { return }
        guard let room else { throw .failed("You are in no room; join one first.") }
        let messages: [StoredMessage]
        do {
            messages = try await persistence.store.recentMessages(in: room.name, limit: count)
        } catch {
            throw .failed("The history of \(room) could not be read: \(error)")
        }
        if messages.isEmpty {
            self.deliver(.notice("\(room) has no history yet."), to: id)
        }
        await self.deliverPaced(messages.map(\.historyEvent), to: id)
    }

    /// Private messages kept while a registered user was offline, delivered at login as history: a page at a time,
    /// each page marked delivered only once it has reached the socket. A user who leaves halfway gets the rest
    /// next time.
    public func deliverOfflineMessages(to id: SessionID) async {
        guard let store = self.persistence?.store, let (nickname, _) = self.whereabouts(of: id) else { return }
        var announced = false
        while self.sessions[id] != nil {
            guard let page = try? await store.undeliveredPrivateMessages(for: nickname.name, limit: Self.replayPage),
                !page.isEmpty
            else { return }
            if !announced, let counts = try? await store.countUndeliveredPrivateMessages(for: nickname.name, from: nil)
            {
                let count = counts.all
                self.deliver(
                    .notice("\(count) private message\(count == 1 ? "" : "s") arrived while you were away:"),
                    to: id
                )
                announced = true
            }
            guard await self.deliverPaced(page.map(\.historyEvent), to: id) else { return }
            do {
                try await store.markPrivateMessagesDelivered(page.map(\.id))
            } catch {
                // They stay undelivered, so they come again next time rather than never.
                return
            }
        }
    }

    /// Events per page of a replay.
    static let replayPage = 50

    /// Sends `events` to one user a page at a time, waiting for each page to reach the socket before the next, so
    /// a long replay goes at the reader's pace instead of piling up past the slow-reader cap. False when the user
    /// left (or their connection closed) before everything was written.
    @discardableResult
    func deliverPaced(_ events: [ChatEvent], to id: SessionID) async -> Bool {
        var start = 0
        while start < events.count {
            guard let session = self.sessions[id] else { return false }
            let end = min(start + Self.replayPage, events.count)
            for event in events[start..<end] {
                guard session.send(event) else { return false }
            }
            guard await session.recipient.written() else { return false }
            start = end
        }
        return true
    }
}
