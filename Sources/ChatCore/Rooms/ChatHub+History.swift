extension ChatHub {
    /// Replays the room's history to a user who just joined it: the last `--history` messages, or, for a returning
    /// registered user, what was said since they left (capped, then a pointer to /history).
    public func replayHistory(to id: SessionID, sinceMessageID: Int64? = nil) async {
        guard let persistence = self.persistence, persistence.keepsRoomHistory, let room = self.whereabouts(of: id)?.room
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
                for message in messages { self.deliver(message.historyEvent, to: id) }
                return
            }
            guard persistence.historyOnJoin > 0 else { return }
            let messages = try await persistence.store.recentMessages(in: room.name, limit: persistence.historyOnJoin)
            for message in messages { self.deliver(message.historyEvent, to: id) }
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
        let messages: [StoredMessage]
        do {
            messages = try await persistence.store.recentMessages(in: room.name, limit: count)
        } catch {
            throw .failed("The history of \(room) could not be read: \(error)")
        }
        if messages.isEmpty {
            self.deliver(.notice("\(room) has no history yet."), to: id)
        }
        for message in messages { self.deliver(message.historyEvent, to: id) }
    }

    /// Private messages kept while a registered user was offline, delivered at login as history.
    public func deliverOfflineMessages(to id: SessionID) async {
        guard let store = self.persistence?.store, let (nickname, _) = self.whereabouts(of: id) else { return }
        guard let messages = try? await store.takeUndeliveredPrivateMessages(for: nickname.name), !messages.isEmpty
        else { return }
        self.deliver(.notice("\(messages.count) private message\(messages.count == 1 ? "" : "s") arrived while you were away:"), to: id)
        for message in messages {
            self.deliver(
                ChatEvent(kind: .privateMessage, text: message.text, from: message.sender, history: true, time: message.time),
                to: id
            )
        }
    }
}
