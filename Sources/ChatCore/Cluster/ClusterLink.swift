/// What a node needs from the rest of its cluster: the seam between a room line's commit and its fan-out (the room
/// bus), and the cluster-wide directory of who is online where (presence).
///
/// A hub without a link is a whole chat on its own: its own tables are the directory and its commit loop the bus,
/// with nothing in between, so the single box stays as fast as it was. With a link (the PostgreSQL one,
/// `ChatClusterPostgres`), rows in the shared database are the truth and notifications only wake the nodes: every
/// node commits its room lines there in batches, delivers its own batches at once, and learns of the others' from
/// ``ClusterEvent``s, ordered and caught up by each room's sequence.
///
/// Calls that wait for the database fail (never hang) when it does not answer in time, so a node that lost it answers
/// its users with an `! ` line instead of going silent.
public protocol ClusterLink: Sendable {
    /// This node's name, shown by `/whois` and the console's `who`.
    var nodeName: String { get }

    /// Returns once this node hears the other nodes (or once the node is shutting down): the server takes no user
    /// before, so nobody misses what the others say meanwhile.
    func waitUntilReady() async

    // MARK: The room bus

    /// Stores room lines in one transaction (durable when it returns) and tells the other nodes, in the same
    /// transaction, that they exist. Returns them with their per-room sequences, in order.
    func commit(_ messages: [StoredMessage]) async throws -> [SequencedMessage]

    /// The committed lines of `room` after `afterSequence`, oldest first, at most `limit`: how a node fills a gap
    /// and catches up after losing the database.
    func messages(in room: String, afterSequence: Int64, limit: Int) async throws -> [SequencedMessage]

    /// The newest sequence given out in `room` (0 before its first line): where a node starts following a room.
    func latestSequence(in room: String) async throws -> Int64

    /// Tells the other nodes about `event`, after everything published before it; returns at once. Never blocks the
    /// hub: what cannot be sent while the database is gone is dropped (with a log line) once the queue is full.
    /// False when the event is too big to send at all (a notification holds less than 8000 bytes).
    @discardableResult
    func publish(_ event: ClusterEvent) -> Bool

    // MARK: Presence

    /// Claims `presence.nickname` for this node's user: true when nobody anywhere in the cluster holds it (two
    /// nodes racing for one nickname: exactly one gets true).
    func claim(_ presence: Presence) async throws -> Bool

    /// Moves this node's user from the nickname with key `oldKey` to `presence.nickname`: false when someone anywhere
    /// holds the new one.
    func rename(from oldKey: String, to presence: Presence) async throws -> Bool

    /// Frees this node's claim on the nickname with key `nicknameKey`.
    func release(_ nicknameKey: String) async throws

    /// Records a change of room or away message of this node's user, in order with ``publish(_:)``; returns at once.
    func update(_ presence: Presence)

    /// Who holds the nickname `name` (any case), on any node.
    func presence(of name: String) async throws -> Presence?

    /// Everyone online on every node, in the order they connected.
    func everyone() async throws -> [Presence]
}
