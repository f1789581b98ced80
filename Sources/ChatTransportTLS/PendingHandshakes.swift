import ChatCore
import Synchronization

/// Caps the TLS handshakes in progress, in all and per address. A connection becomes a client (and meets
/// `--max-clients`, the per-address limits and `--connect-rate`) only once its handshake is done; until then this is
/// what stops one address from holding any number of half-open handshakes, or making the server sign one after
/// another, for 10 s each.
final class PendingHandshakes: Sendable {
    /// Handshakes in progress at once, from everyone.
    let totalLimit: Int
    /// Handshakes in progress at once from one address (IPv4, or IPv6 /64); 0 for no limit.
    let perAddressLimit: Int
    /// Whether loopback counts per address, as `--limit-loopback` says for the other limits.
    let includesLoopback: Bool

    private struct State {
        var total = 0
        var byAddress: [String: Int] = [:]
    }

    private let state = Mutex(State())

    init(totalLimit: Int, perAddressLimit: Int, includesLoopback: Bool) {
        self.totalLimit = totalLimit
        self.perAddressLimit = perAddressLimit
        self.includesLoopback = includesLoopback
    }

    /// The limits of a server's configuration: a handshake per client slot, and the per-address connection cap.
    convenience init(_ configuration: ServerConfiguration) {
        self.init(
            totalLimit: max(configuration.maxClients, 1),
            perAddressLimit: configuration.maxClientsPerAddress,
            includesLoopback: configuration.limitLoopback
        )
    }

    /// Counts a handshake from `peer` as started; false (and nothing counted) when a limit is reached.
    func begin(from peer: PeerAddress) -> Bool {
        let countsPerAddress = self.perAddressLimit > 0 && (self.includesLoopback || !peer.isLoopback)
        return self.state.withLock { state in
            guard state.total < self.totalLimit else { return false }
            if countsPerAddress {
                guard state.byAddress[peer.key, default: 0] < self.perAddressLimit else { return false }
                state.byAddress[peer.key, default: 0] += 1
            }
            state.total += 1
            return true
        }
    }

    /// Counts a handshake from `peer` as over (done, failed or timed out); once per successful ``begin(from:)``.
    func end(from peer: PeerAddress) {
        let countsPerAddress = self.perAddressLimit > 0 && (self.includesLoopback || !peer.isLoopback)
        self.state.withLock { state in
            state.total -= 1
            if countsPerAddress {
                let left = state.byAddress[peer.key, default: 1] - 1
                state.byAddress[peer.key] = left > 0 ? left : nil
            }
        }
    }

    /// Handshakes in progress now (tests).
    var count: Int { self.state.withLock { $0.total } }
}
