import Synchronization

/// Every open connection, joined or not: enforces `--max-clients`, the per-address limits, and reaches everyone at
/// shutdown.
final class ConnectionTracker: Sendable {
    /// Why a connection was refused, or that it was let in.
    enum Admission: Equatable {
        case admitted
        /// `--max-clients` connections are open (or the server is shutting down).
        case serverFull
        /// This address already holds `--max-clients-per-address` connections.
        case tooManyFromAddress
        /// This address connects faster than `--connect-rate`; the next attempt may come after `retryAfter`.
        case connectingTooFast(retryAfter: Duration)
    }

    /// The per-address rules.
    struct AddressLimits: Sendable {
        /// Connections one address may hold at once; 0 means no limit.
        var maxConnections: Int
        /// Connections one address may open per minute, sustained; 0 means no limit.
        var connectsPerMinute: Double
        /// Connections one address may open at once above that rate.
        var connectBurst: Int
        /// Whether loopback peers are limited too (normally they are exempt, for benchmarks and local tools).
        var includesLoopback: Bool
    }

    private struct State {
        var connections: [ObjectIdentifier: any ChatRecipient] = [:]
        /// Open connections per limited address; an address with none is not kept.
        var openByAddress: [String: Int] = [:]
        var connects: TokenBuckets
        var isClosed = false
    }

    private let limit: Int
    private let addressLimits: AddressLimits
    private let state: Mutex<State>

    init(limit: Int, addressLimits: AddressLimits) {
        self.limit = limit
        self.addressLimits = addressLimits
        self.state = Mutex(
            State(connects: TokenBuckets(rate: addressLimits.connectsPerMinute / 60, burst: addressLimits.connectBurst))
        )
    }

    /// Records a new connection from `peer`, or says why it is refused. Every attempt counts against the
    /// address's connect rate, refused or not, so a reconnect loop cannot keep trying at full speed; unless
    /// `countsConnect` is false because its listener counted it already when it accepted the connection
    /// (``takeConnect(from:now:)``).
    func admit(
        _ recipient: any ChatRecipient,
        from peer: PeerAddress,
        countsConnect: Bool = true,
        now: ContinuousClock.Instant = .now
    ) -> Admission {
        self.state.withLock { state in
            guard !state.isClosed else { return .serverFull }
            let limited = self.isLimited(peer)
            if limited {
                if countsConnect, let wait = state.connects.take(for: peer.key, now: now) {
                    return .connectingTooFast(retryAfter: wait)
                }
                let open = state.openByAddress[peer.key] ?? 0
                if self.addressLimits.maxConnections > 0, open >= self.addressLimits.maxConnections {
                    return .tooManyFromAddress
                }
            }
            guard state.connections.count < self.limit else { return .serverFull }
            state.connections[ObjectIdentifier(recipient)] = recipient
            if limited {
                state.openByAddress[peer.key, default: 0] += 1
            }
            return .admitted
        }
    }

    /// Counts a connection from `peer` against its address's connect rate before it becomes a client: nil when it
    /// may go on, else how long until the next one may. For a listener whose connections cost work before they
    /// are admitted (a TLS handshake signs with the server's key), so a rate-limited address cannot make the
    /// server do that work at full speed.
    func takeConnect(from peer: PeerAddress, now: ContinuousClock.Instant = .now) -> Duration? {
        guard self.isLimited(peer) else { return nil }
        return self.state.withLock { $0.connects.take(for: peer.key, now: now) }
    }

    /// Forgets a connection that has ended.
    func remove(_ recipient: any ChatRecipient, from peer: PeerAddress) {
        self.state.withLock { state in
            guard state.connections.removeValue(forKey: ObjectIdentifier(recipient)) != nil else { return }
            if self.isLimited(peer), let open = state.openByAddress[peer.key] {
                state.openByAddress[peer.key] = open > 1 ? open - 1 : nil
            }
        }
    }

    /// How many connections are open.
    var count: Int {
        self.state.withLock { $0.connections.count }
    }

    /// Refuses new connections from now on and returns the open ones.
    func closeAll() -> [any ChatRecipient] {
        self.state.withLock { state in
            state.isClosed = true
            return Array(state.connections.values)
        }
    }

    private func isLimited(_ peer: PeerAddress) -> Bool {
        self.addressLimits.includesLoopback || !peer.isLoopback
    }
}
