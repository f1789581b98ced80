import ChatProtocol

/// Where a room line stands in the hub's queue: it has been delivered (or refused) once the hub has delivered
/// everything up to this ticket. Tickets only grow.
public struct RoomLineTicket: Sendable, Comparable {
    let sequence: UInt64

    public static func < (lhs: RoomLineTicket, rhs: RoomLineTicket) -> Bool {
        lhs.sequence < rhs.sequence
    }
}

/// A room line (a message or a `/me` action) accepted from its sender, waiting for its commit.
struct PendingRoomLine {
    let ticket: RoomLineTicket
    let event: ChatEvent
    let stored: StoredMessage
    let sender: Member
}

/// A room line ready for a room's members: one of this node's (``PendingRoomLine``, its sender a local member) or,
/// in a cluster, one another node committed (no local sender).
struct OutgoingRoomLine {
    let event: ChatEvent
    /// The sender, when connected to this node: they get no echo in plain mode.
    let sender: Member?
    /// The sender's nickname key, for the members ignoring them.
    let senderKey: String

    init(_ line: PendingRoomLine) {
        self.event = line.event
        self.sender = line.sender
        self.senderKey = line.sender.nickname.key
    }

    init(event: ChatEvent, sender: Member?, senderKey: String) {
        self.event = event
        self.sender = sender
        self.senderKey = senderKey
    }
}

/// Room lines on their way out: accepted in order, committed to the store in batches (group commit), then fanned
/// out batch by batch. Lives inside ``ChatHub``.
///
/// Batching is what makes fan-out cheap: while one batch is being committed, the next one fills up, and a
/// recipient then gets the whole batch in one outbox write and one socket write instead of one per line.
struct RoomLineQueue {
    /// Accepted, not yet in a commit.
    var waiting: [PendingRoomLine] = []
    var lastAccepted = RoomLineTicket(sequence: 0)
    var lastDelivered = RoomLineTicket(sequence: 0)
    /// A commit-and-deliver loop is running; new lines join its next batch.
    var isCommitting = false
    /// Senders waiting until their lines are out.
    var waiters: [(ticket: RoomLineTicket, continuation: CheckedContinuation<Void, Never>)] = []

    /// Queues a line and hands out its ticket.
    mutating func accept(event: ChatEvent, stored: StoredMessage, sender: Member) -> RoomLineTicket {
        self.lastAccepted = RoomLineTicket(sequence: self.lastAccepted.sequence + 1)
        self.waiting.append(PendingRoomLine(ticket: self.lastAccepted, event: event, stored: stored, sender: sender))
        return self.lastAccepted
    }

    /// Everything accepted so far, for the next commit.
    mutating func takeBatch() -> [PendingRoomLine] {
        let batch = self.waiting
        self.waiting = []
        return batch
    }

    /// Records that everything up to `ticket` is out, and returns the waiters that may go on.
    mutating func markDelivered(through ticket: RoomLineTicket) -> [CheckedContinuation<Void, Never>] {
        self.lastDelivered = ticket
        var released: [CheckedContinuation<Void, Never>] = []
        self.waiters.removeAll { waiter in
            guard waiter.ticket <= ticket else { return false }
            released.append(waiter.continuation)
            return true
        }
        return released
    }
}
