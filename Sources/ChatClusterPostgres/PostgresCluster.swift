import ChatCore
import ChatStorePostgres
import Logging
import PostgresNIO
import Synchronization

/// This node's link to the rest of a cluster through PostgreSQL (``ClusterLink``): room lines are committed in the
/// shared store with a `pg_notify` in the same transaction, the directory of who is online where is the `presence`
/// table (one row per nickname, so a nickname is unique cluster-wide), and the nodes' heartbeats in `nodes` let the
/// others expire the users of a node that died.
///
/// Queries share the store's pool; the notifications arrive on a connection of their own, which ``run(for:)`` holds
/// and re-opens with backoff when it breaks, catching up from the tables each time (``ChatHub/catchUpWithCluster()``).
/// Every call that waits for the database gives up after ``Options/callTimeLimit``.
public final class PostgresCluster: ClusterLink {
    /// Timings of the cluster's upkeep.
    public struct Options: Sendable {
        /// How often this node says it is alive, and looks for nodes that stopped saying so.
        public var heartbeatInterval = Duration.seconds(2)
        /// A node silent this long is dead: its users are shown as gone everywhere. With the defaults a killed
        /// node's users are gone within 12 seconds (its last heartbeat, the limit, and the next sweep).
        public var nodeTimeout = Duration.seconds(10)
        /// How long any call to the database may take before it fails (and a room line is refused with an `! `).
        public var callTimeLimit = Duration.seconds(5)
        /// The first wait before re-opening a broken notification connection; it doubles up to ``maximumBackoff``.
        public var firstBackoff = Duration.milliseconds(250)
        public var maximumBackoff = Duration.seconds(5)
        /// Events and directory changes waiting to be sent at most; beyond that (a database gone for long) new ones
        /// are dropped, with a log line: the heartbeat puts the directory right when the database is back.
        public var outboundLimit = 10_000

        public init() {}
    }

    /// The channel every node listens on.
    static let channel = "slashchat"

    public let nodeName: String
    let store: PostgresChatStore
    let connectionString: PostgresConnectionString
    let options: Options
    let logger: Logger
    /// Events and directory changes in the order the hub made them, for ``run(for:)``'s sender.
    let outbound: AsyncStream<Outbound>
    let outboundQueue: AsyncStream<Outbound>.Continuation
    /// Set when a directory change could not be written (or a heartbeat failed): the next heartbeat writes all of
    /// this node's users back.
    let directoryNeedsRewrite = Atomic<Bool>(false)
    /// Opens when the notification connection listens for the first time (or the node stops trying).
    let ready = ReadinessGate()
    /// How many of its own pings this node heard on its notification connection.
    let pingsHeard = Atomic<Int>(0)
    /// The notification connection while it is open, for the heartbeat to close when it stopped hearing.
    let listeningConnection = Mutex<PostgresConnection?>(nil)

    /// What the sender works through, in order.
    enum Outbound: Sendable {
        /// A notification's payload, made when the event was published.
        case notify(String)
        case update(Presence)
    }

    /// - Parameters:
    ///   - nodeName: this node's name (`--node-name`), unique in the cluster.
    ///   - store: the opened PostgreSQL store, whose pool the cluster's queries share.
    ///   - connectionString: where the database is, for the notification connection.
    public init(
        nodeName: String,
        store: PostgresChatStore,
        connectionString: PostgresConnectionString,
        options: Options = Options(),
        logger: Logger
    ) {
        self.nodeName = nodeName
        self.store = store
        self.connectionString = connectionString
        self.options = options
        var logger = logger
        logger[metadataKey: "node"] = "\(nodeName)"
        self.logger = logger
        (self.outbound, self.outboundQueue) = AsyncStream.makeStream(
            of: Outbound.self,
            bufferingPolicy: .bufferingOldest(options.outboundLimit)
        )
    }

    var client: PostgresClient { self.store.client }

    public func waitUntilReady() async {
        await self.ready.wait()
    }

    /// Runs `body` against the database, failing after ``Options/callTimeLimit``.
    @discardableResult
    func limited<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withTimeLimit(self.options.callTimeLimit, body)
    }

    // MARK: The room bus

    public func commit(_ messages: [StoredMessage]) async throws -> [SequencedMessage] {
        let store = self.store
        let origin = self.nodeName
        return try await self.limited {
            try await store.appendSequenced(
                messages,
                notification: (Self.channel, { ClusterEnvelope.roomLinesPayloads($0, from: origin) })
            )
        }
    }

    public func messages(in room: String, afterSequence: Int64, limit: Int) async throws -> [SequencedMessage] {
        let store = self.store
        return try await self.limited {
            try await store.messages(in: room, afterSequence: afterSequence, limit: limit)
        }
    }

    public func latestSequence(in room: String) async throws -> Int64 {
        let store = self.store
        return try await self.limited { try await store.latestSequence(in: room) }
    }

    @discardableResult
    public func publish(_ event: ClusterEvent) -> Bool {
        guard let payload = ClusterEnvelope.payload(event, from: self.nodeName) else {
            self.logger.warning("an event too big for a notification was not sent to the other nodes")
            return false
        }
        self.enqueue(.notify(payload))
        return true
    }

    public func update(_ presence: Presence) {
        self.enqueue(.update(presence))
    }

    private func enqueue(_ item: Outbound) {
        if case .dropped = self.outboundQueue.yield(item) {
            self.logger.warning("the cluster's outbound queue is full; an event for the other nodes was dropped")
        }
    }

    /// Sends one payload to every node now (not through the queue).
    func notify(_ payload: String) async throws {
        let client = self.client
        let logger = self.logger
        try await self.limited {
            try await client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
        }
    }
}
