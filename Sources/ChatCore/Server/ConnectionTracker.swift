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

    /// Addresses remembered at most; past this the rate limit lets new addresses through rather than grow without
    /// bound (the total and per-address caps still hold).
    static let maximumTrackedAddresses = 100_000

    private struct AddressState {
        var open = 0
        var connects: TokenBucket
    }

    private struct State {
        var connections: [ObjectIdentifier: Outbox] = [:]
        var addresses: [String: AddressState] = [:]
        /// The address table's size after its last sweep; it is swept again once it has doubled.
        var addressesAfterSweep = 0
        var isClosed = false
    }

    private let limit: Int
    private let addressLimits: AddressLimits
    private let state = Mutex(State())

    init(limit: Int, addressLimits: AddressLimits) {
        self.limit = limit
        self.addressLimits = addressLimits
    }

    /// Records a new connection from `peer`, or says why it is refused. Every attempt counts against the
    /// address's connect rate, refused or not, so a reconnect loop cannot keep trying at full speed.
    func admit(_ outbox: Outbox, from peer: PeerAddress, now: ContinuousClock.Instant = .now) -> Admission {
        self.state.withLock { state in
            guard !state.isClosed else { return .serverFull }
            let limited = self.isLimited(peer)
            if limited {
                if let wait = self.takeConnectToken(for: peer, in: &state, now: now) {
                    return .connectingTooFast(retryAfter: wait)
                }
                let open = state.addresses[peer.key]?.open ?? 0
                if self.addressLimits.maxConnections > 0, open >= self.addressLimits.maxConnections {
                    return .tooManyFromAddress
                }
            }
            guard state.connections.count < self.limit else { return .serverFull }
            state.connections[ObjectIdentifier(outbox)] = outbox
            if limited {
                state.addresses[peer.key, default: self.freshAddressState(now: now)].open += 1
            }
            return .admitted
        }
    }

    /// Forgets a connection that has ended.
    func remove(_ outbox: Outbox, from peer: PeerAddress) {
        self.state.withLock { state in
            guard state.connections.removeValue(forKey: ObjectIdentifier(outbox)) != nil else { return }
            if self.isLimited(peer) {
                state.addresses[peer.key]?.open -= 1
            }
        }
    }

    /// How many connections are open.
    var count: Int {
        self.state.withLock { $0.connections.count }
    }

    /// Refuses new connections from now on and returns the open ones.
    func closeAll() -> [Outbox] {
        self.state.withLock { state in
            state.isClosed = true
            return Array(state.connections.values)
        }
    }

    private func isLimited(_ peer: PeerAddress) -> Bool {
        self.addressLimits.includesLoopback || !peer.isLoopback
    }

    private func freshAddressState(now: ContinuousClock.Instant) -> AddressState {
        AddressState(
            connects: TokenBucket(
                rate: self.addressLimits.connectsPerMinute / 60,
                burst: self.addressLimits.connectBurst,
                now: now
            )
        )
    }

    /// Takes one connect token for `peer`; nil when it may connect now, else how long until it may.
    private func takeConnectToken(
        for peer: PeerAddress,
        in state: inout State,
        now: ContinuousClock.Instant
    ) -> Duration? {
        guard self.addressLimits.connectsPerMinute > 0 else { return nil }
        if state.addresses[peer.key] == nil {
            self.sweepIfLarge(&state, now: now)
            guard state.addresses.count < Self.maximumTrackedAddresses else { return nil }
            state.addresses[peer.key] = self.freshAddressState(now: now)
        }
        let wait = state.addresses[peer.key]!.connects.take(now: now)
        guard wait > .zero else { return nil }
        // Refused attempts do not dig the hole deeper: the address gets its next connection at the plain rate.
        state.addresses[peer.key]!.connects.giveBack()
        return wait
    }

    /// Drops addresses with nothing open whose connect allowance has refilled: they are as good as new.
    private func sweepIfLarge(_ state: inout State, now: ContinuousClock.Instant) {
        guard state.addresses.count >= max(1024, 2 * state.addressesAfterSweep) else { return }
        state.addresses = state.addresses.filter { $0.value.open > 0 || !$0.value.connects.isFull(now: now) }
        state.addressesAfterSweep = state.addresses.count
    }
}
