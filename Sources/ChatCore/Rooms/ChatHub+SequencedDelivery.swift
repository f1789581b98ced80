import ChatProtocol
import Logging

/// Room lines in a cluster: every node commits through the ``ClusterLink`` and delivers each room's lines in the
/// room's sequence, whether they were committed here or on another node, so all members everywhere see one order.
///
/// A room followed here remembers the sequence delivered so far (``Room/deliveredSequence``): a line at or below it
/// is a duplicate and dropped; a line beyond the next one means others were committed first (on another node, their
/// notification still on its way, or lost while the database was away), and those are read from the database and
/// delivered before it. Rows are the truth; notifications only say where to look.
extension ChatHub {
    /// A line and its place in its room.
    typealias SequencedLine = (sequence: Int64, line: OutgoingRoomLine)

    /// Lines read from the database at most per query while catching up.
    static let catchUpPage = 500

    /// Commits this node's batch through the cluster and delivers it here, room by room in each room's order. A
    /// refused or unanswered commit gets an `! ` to each sender, and nobody sees those lines.
    func commitAndDeliver(_ batch: [PendingRoomLine], through cluster: any ClusterLink) async {
        let committed: [SequencedMessage]
        do {
            let started = ContinuousClock.now
            committed = try await cluster.commit(batch.map(\.stored))
            ChatMetrics.committed(in: ContinuousClock.now - started)
        } catch {
            for line in batch {
                line.sender.send(.error("Your message could not be saved, so it was not sent: \(error)"))
            }
            return
        }
        self.flushJoinNotices()
        var roomsInOrder: [String] = []
        var linesByRoom: [String: [SequencedLine]] = [:]
        for (line, stored) in zip(batch, committed) {
            let key = stored.message.room.lowercased()
            if linesByRoom[key] == nil { roomsInOrder.append(key) }
            linesByRoom[key, default: []].append((stored.roomSequence, OutgoingRoomLine(line)))
        }
        for key in roomsInOrder {
            await self.deliverInOrder(linesByRoom[key]!, inRoom: key)
        }
    }

    /// Another node's committed lines: delivered here in order, read from the database when the notification did not
    /// carry them.
    func receiveRoomLines(_ notice: ClusterEvent.RoomLines) async {
        let key = notice.room.lowercased()
        guard let cluster = self.cluster, let room = self.rooms[key], !room.members.isEmpty else { return }
        if let delivered = room.deliveredSequence, notice.last <= delivered { return }
        if let lines = notice.lines {
            await self.deliverInOrder(
                lines.map { self.sequencedLine($0.sequenced(in: key), in: room.name) },
                inRoom: key
            )
            return
        }
        let after = max(room.deliveredSequence ?? (notice.first - 1), notice.last - Int64(Self.catchUpPage))
        do {
            let missing = try await cluster.messages(in: key, afterSequence: after, limit: Int(notice.last - after))
            guard let room = self.rooms[key] else { return }
            await self.deliverInOrder(missing.map { self.sequencedLine($0, in: room.name) }, inRoom: key)
        } catch {
            Self.clusterLogger.warning(
                "could not read a room's new lines; they come with the next ones or the catch-up",
                metadata: ["room": "\(key)", "error": "\(error)"]
            )
        }
    }

    /// After this node's link to the cluster came back: every followed room gets what was committed meanwhile.
    public func catchUpWithCluster() async {
        guard let cluster = self.cluster else { return }
        for key in self.rooms.keys {
            guard let room = self.rooms[key], !room.members.isEmpty else { continue }
            guard var after = room.deliveredSequence else {
                // Never started following (the database was away when it should have): from now on.
                if let latest = try? await cluster.latestSequence(in: key), self.rooms[key]?.deliveredSequence == nil {
                    self.rooms[key]?.deliveredSequence = latest
                }
                continue
            }
            while true {
                guard
                    let page = try? await cluster.messages(in: key, afterSequence: after, limit: Self.catchUpPage),
                    let room = self.rooms[key]
                else { break }
                await self.deliverInOrder(page.map { self.sequencedLine($0, in: room.name) }, inRoom: key)
                guard page.count == Self.catchUpPage, let last = page.last else { break }
                after = last.roomSequence
            }
        }
    }

    /// Delivers one room's lines (in sequence order) here: those delivered before are dropped, and a gap before them
    /// is filled from the database first. When the gap cannot be read, nothing is delivered and nothing is marked:
    /// the next line or the catch-up after a reconnect brings all of it, in order.
    func deliverInOrder(_ lines: [SequencedLine], inRoom roomKey: String) async {
        guard let cluster = self.cluster, let room = self.rooms[roomKey], let first = lines.first else { return }
        var delivered = room.deliveredSequence ?? (first.sequence - 1)
        var fresh = lines.filter { $0.sequence > delivered }
        guard let firstFresh = fresh.first else { return }
        if firstFresh.sequence > delivered + 1 {
            // At most a catch-up page of the gap, its newest lines: after a long outage the rest is history.
            let from = max(delivered, firstFresh.sequence - 1 - Int64(Self.catchUpPage))
            let missing: [SequencedMessage]
            do {
                missing = try await cluster.messages(
                    in: roomKey,
                    afterSequence: from,
                    limit: Int(firstFresh.sequence - from - 1)
                )
            } catch {
                Self.clusterLogger.warning(
                    "could not fill a gap in a room's lines; the catch-up will",
                    metadata: ["room": "\(roomKey)", "error": "\(error)"]
                )
                return
            }
            // The query suspended: other lines may have been delivered meanwhile.
            guard let room = self.rooms[roomKey] else { return }
            delivered = room.deliveredSequence ?? delivered
            fresh = (missing.map { self.sequencedLine($0, in: room.name) } + fresh)
                .filter { $0.sequence > delivered }
                .sorted { $0.sequence < $1.sequence }
            guard !fresh.isEmpty else { return }
        }
        self.rooms[roomKey]!.deliveredSequence = fresh.last!.sequence
        self.flushJoinNotices()
        self.deliver(fresh.map(\.line), toRoomNamed: roomKey)
    }

    /// A line read from the database or a notification, ready for delivery: its sender counts as the local member of
    /// that nickname, if there is one (their own line, caught up after an outage, is then not echoed to them).
    private func sequencedLine(_ stored: SequencedMessage, in room: RoomName) -> SequencedLine {
        // Rows are input like any stored text: cleaned and capped before anyone sees them.
        let sender = StoredText.clean(stored.message.sender)
        let senderKey = sender.lowercased()
        let event = ChatEvent(
            kind: stored.message.kind == .action ? .action : .message,
            text: StoredText.clean(stored.message.text),
            from: sender,
            room: room.name,
            time: stored.message.time
        )
        let local = self.nicknames.sessionID(of: senderKey).flatMap { self.sessions[$0] }
        return (stored.roomSequence, OutgoingRoomLine(event: event, sender: local, senderKey: senderKey))
    }

    static let clusterLogger = Logger(label: "slashchat.cluster")
}
