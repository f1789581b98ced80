import ChatEmoji
import ChatProtocol
import NIOCore

extension ChatHub {
    /// Accepts a room message (`.message`, `<nick> text`) or action (`.action`, `* nick text`) from a user, emoji
    /// shortcodes expanded, and returns at once with its ticket; nil when there is nothing to send.
    ///
    /// The line is committed to the history before anyone sees it (the durability contract), in a batch with
    /// whatever else arrives meanwhile. A connection can therefore go on reading while its line is committed, and
    /// waits (``waitForDelivery(of:)``) only before something that must come after it.
    public func post(_ text: String, kind: StoredMessage.Kind, from id: SessionID) -> RoomLineTicket? {
        guard let sender = self.touch(id), let room = sender.room, kind == .action || !text.isEmpty else { return nil }
        let time = Self.now()
        let event = ChatEvent(
            kind: kind == .action ? .action : .message,
            text: EmojiTable.standard.expand(text),
            from: sender.nickname.name,
            room: room.name,
            time: time
        )
        let stored = StoredMessage(
            room: room.name,
            sender: sender.nickname.name,
            kind: kind,
            text: event.text,
            time: time
        )
        let ticket = self.roomLines.accept(event: event, stored: stored, sender: sender)
        sender.lastPostedLine = ticket
        if !self.roomLines.isCommitting {
            self.roomLines.isCommitting = true
            // Not timed work (that is HubTimers'): a drain loop that ends as soon as the queue is empty. Its
            // lifetime is bounded by the lines it holds, and every session's leave waits for its own lines
            // (waitForOwnLines), so shutdown, which waits for every session, waits for it too.
            Task { await self.commitAndDeliverRoomLines() }
        }
        return ticket
    }

    /// Returns once every line up to `ticket` has been delivered, or refused with an `! ` to its sender.
    public func waitForDelivery(of ticket: RoomLineTicket) async {
        guard ticket > self.roomLines.lastDelivered else { return }
        await withCheckedContinuation { continuation in
            self.roomLines.waiters.append((ticket, continuation))
        }
    }

    /// Returns once the lines `id` posted are out; a no-op when there are none pending.
    public func waitForOwnLines(_ id: SessionID) async {
        guard let ticket = self.sessions[id]?.lastPostedLine else { return }
        await self.waitForDelivery(of: ticket)
    }

    /// A room message, delivered before this returns.
    public func say(_ text: String, from id: SessionID) async {
        guard let ticket = self.post(text, kind: .message, from: id) else { return }
        await self.waitForDelivery(of: ticket)
    }

    /// A `/me` action, delivered before this returns.
    public func act(_ text: String, from id: SessionID) async {
        guard let ticket = self.post(text, kind: .action, from: id) else { return }
        await self.waitForDelivery(of: ticket)
    }

    /// Commits what is waiting, delivers it, and repeats until nothing waits. Lines that arrive during a commit
    /// go into the next batch, so under load batches grow and both the store and the sockets do less per line.
    private func commitAndDeliverRoomLines() async {
        while true {
            let batch = self.roomLines.takeBatch()
            guard let last = batch.last else { break }
            if let cluster = self.cluster {
                await self.commitAndDeliver(batch, through: cluster)
            } else if await self.commit(batch) {
                self.fanOut(batch)
            }
            for waiter in self.roomLines.markDelivered(through: last.ticket) {
                waiter.resume()
            }
        }
        self.roomLines.isCommitting = false
    }

    /// Stores a batch in one transaction. False, with an `! ` to each sender, when the store refuses it: those
    /// lines are then not delivered either, so nobody sees what could be lost.
    private func commit(_ batch: [PendingRoomLine]) async -> Bool {
        guard let persistence = self.persistence, persistence.keepsRoomHistory else { return true }
        do {
            let started = ContinuousClock.now
            _ = try await persistence.store.append(batch.map(\.stored))
            ChatMetrics.committed(in: ContinuousClock.now - started)
            return true
        } catch {
            for line in batch {
                line.sender.send(.error("Your message could not be saved, so it was not sent: \(error)"))
            }
            return false
        }
    }

    /// Delivers a committed batch room by room, in order.
    private func fanOut(_ batch: [PendingRoomLine]) {
        self.flushJoinNotices()
        let firstRoom = batch[0].stored.room
        if batch.allSatisfy({ $0.stored.room == firstRoom }) {
            self.deliver(batch.map(OutgoingRoomLine.init), toRoomNamed: firstRoom)
            return
        }
        var roomsInOrder: [String] = []
        var linesByRoom: [String: [PendingRoomLine]] = [:]
        for line in batch {
            if linesByRoom[line.stored.room] == nil { roomsInOrder.append(line.stored.room) }
            linesByRoom[line.stored.room, default: []].append(line)
        }
        for room in roomsInOrder {
            self.deliver(linesByRoom[room]!.map(OutgoingRoomLine.init), toRoomNamed: room)
        }
    }

    /// Sends room lines to the room's members: no echo to a sender in plain mode (its own terminal already shows
    /// what it typed), an echo in JSON mode (so the client shows the text exactly as others saw it), nothing from
    /// senders a member ignores.
    ///
    /// Members who get every line (most of them) share one buffer holding the whole batch, and so do the members of
    /// a door that renders lines its own way with the same ``SharedRenderingKey`` (IRC clients with the same
    /// capabilities); only senders and members with an ignore list, JSON mode or a screen of their own get theirs.
    func deliver(_ lines: [OutgoingRoomLine], toRoomNamed roomName: String) {
        let key = roomName.lowercased()
        guard self.rooms[key] != nil else { return }
        if let speaker = lines.last(where: { $0.event.kind == .message })?.sender {
            self.rooms[key]?.lastSpeaker = speaker.id
        }
        var encoded = lines.map { EncodedEvent($0.event) }
        let senders = Set(lines.compactMap { $0.sender.map(ObjectIdentifier.init) })
        // The whole batch in each wire format, made once for every member that gets all of it as it is.
        var everything: [WireFormat: ByteBuffer] = [:]
        var rendered = SharedRenderings(lines.map(\.event))
        var deliveries = 0
        defer { ChatMetrics.delivered(lines: lines.count, deliveries: deliveries) }
        self.forEachMember(ofRoom: key) { member in
            let getsEverything =
                !member.rendersEvents && member.ignoring.isEmpty && !senders.contains(ObjectIdentifier(member))
            if getsEverything {
                let format = member.format
                let whole =
                    everything[format]
                    ?? Self.concatenate(encoded.indices.map { encoded[$0].bytes(for: format) })
                everything[format] = whole
                member.recipient.send(whole)
                deliveries += lines.count
                return
            }
            if member.rendersEvents, let key = member.recipient.sharedRenderingKey {
                if member.ignoring.isEmpty, !senders.contains(ObjectIdentifier(member)) {
                    let bytes = rendered.whole(key, by: member.recipient)
                    if bytes.readableBytes > 0 { member.recipient.send(bytes) }
                    deliveries += lines.count
                    return
                }
                var own: [ByteBuffer] = []
                for index in lines.indices {
                    if lines[index].sender === member {
                        // Its door decides whether it sees its own line (IRC's echo-message).
                        own.append(member.recipient.render([lines[index].event]))
                    } else if member.ignoring.isEmpty || !member.ignoring.contains(lines[index].senderKey) {
                        own.append(rendered.line(index, key, by: member.recipient))
                    }
                }
                let bytes = Self.concatenate(own)
                if bytes.readableBytes > 0 { member.recipient.send(bytes) }
                deliveries += own.count
                return
            }
            if member.rendersEvents {
                // Its door decides what it shows, its own lines included.
                for line in lines where member.ignoring.isEmpty || !member.ignoring.contains(line.senderKey) {
                    member.recipient.send(line.event)
                    deliveries += 1
                }
                return
            }
            var own: [ByteBuffer] = []
            for index in lines.indices {
                if lines[index].sender === member {
                    if member.format == .json { own.append(encoded[index].bytes(for: .json)) }
                    continue
                }
                if !member.ignoring.isEmpty, member.ignoring.contains(lines[index].senderKey) { continue }
                own.append(encoded[index].bytes(for: member.format))
            }
            if !own.isEmpty { member.recipient.send(Self.concatenate(own)) }
            deliveries += own.count
        }
    }

    /// One buffer holding `parts` in order; the part itself when there is only one.
    private static func concatenate(_ parts: [ByteBuffer]) -> ByteBuffer {
        if parts.count == 1 { return parts[0] }
        if parts.isEmpty { return ByteBuffer() }
        var whole = ByteBufferAllocator().buffer(capacity: parts.reduce(0) { $0 + $1.readableBytes })
        for part in parts { whole.writeImmutableBuffer(part) }
        return whole
    }
}
