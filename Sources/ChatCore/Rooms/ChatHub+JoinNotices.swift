import ChatProtocol
import NIOCore

extension ChatHub {
    /// How long a join notice may wait for others to share its write. A burst of joins (a class logging in at
    /// once, a reconnect storm) then costs every member one write per window instead of one per newcomer:
    /// with 1,000 joins that is the difference between ~500,000 socket writes and a few thousand.
    static let joinNoticeWindow: Duration = .milliseconds(10)

    /// Queues `* NICK joined #ROOM` for the room's other members; it goes out within ``joinNoticeWindow``, or
    /// sooner when anything else is sent to a room (so nobody hears a newcomer speak before they hear it join).
    func queueJoinNotice(_ event: ChatEvent, in room: RoomName, joiner: Member) {
        self.pendingJoinNotices[room.key, default: []].append((event, joiner))
        guard !self.isJoinNoticeFlushScheduled else { return }
        self.isJoinNoticeFlushScheduled = true
        self.timers.schedule(after: Self.joinNoticeWindow) { [weak self] in
            await self?.flushJoinNotices()
        }
    }

    /// Sends every queued join notice: to each member, those of people who joined after them, in one buffer.
    func flushJoinNotices() {
        self.isJoinNoticeFlushScheduled = false
        guard !self.pendingJoinNotices.isEmpty else { return }
        let pending = self.pendingJoinNotices
        self.pendingJoinNotices = [:]
        for (roomKey, notices) in pending {
            var encoded = notices.map { EncodedEvent($0.event) }
            self.forEachMember(ofRoom: roomKey) { member in
                var bytes = ByteBuffer()
                for index in notices.indices where notices[index].joiner.joinSequence > member.joinSequence {
                    // Ignoring someone hides their arrival too (by their nickname now, should they have renamed).
                    if member.ignoring.contains(notices[index].joiner.nickname.key) { continue }
                    if member.rendersEvents {
                        member.recipient.send(notices[index].event)
                        continue
                    }
                    bytes.writeImmutableBuffer(encoded[index].bytes(for: member.format))
                }
                if bytes.readableBytes > 0 { member.recipient.send(bytes) }
            }
        }
    }
}
