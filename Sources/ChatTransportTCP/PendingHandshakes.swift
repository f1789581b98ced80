import ChatCore
import Synchronization

/// Caps the handshakes in progress (TLS's, or SSH's up to its session), in all and per address. A connection becomes
/// a client (and meets `--max-clients` and the per-address connection cap) only once its handshake is done; until
/// then this is what stops one address from holding any number of half-open handshakes until they time out.
///
/// The total has its own cap, much smaller than `--max-clients` (``ServerConfiguration/maxHandshakes``): a
/// half-open handshake costs about 20 KiB, and 1,000 addresses × 10 of them used to grow the server by 600 MiB and
/// refuse every newcomer until they expired. When the total is full, a new handshake takes the place of the oldest
/// one still in progress, which is closed: an honest client finishes in a round trip or two, long before as many
/// newer handshakes have arrived as there are places, while a flood of silent ones only pushes out its own.
package final class PendingHandshakes: Sendable {
    /// Handshakes in progress at once, from everyone.
    let totalLimit: Int
    /// Handshakes in progress at once from one address (IPv4, or IPv6 /64); 0 for no limit.
    let perAddressLimit: Int
    /// Whether loopback counts per address, as `--limit-loopback` says for the other limits.
    let includesLoopback: Bool

    /// One handshake in progress, the way back to it when it must make room, and what it counts against.
    package struct Ticket: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct Entry {
        let peer: PeerAddress
        let countsPerAddress: Bool
        /// Closes its connection.
        let close: @Sendable () -> Void
    }

    private struct State {
        var nextID: UInt64 = 0
        /// In progress, by ticket; tickets grow with time, so the smallest is the oldest.
        var entries: [UInt64: Entry] = [:]
        var byAddress: [String: Int] = [:]
        /// The most in progress at once since the heap was last trimmed (``HeapTrim``).
        var peakSinceTrim = 0
    }

    private let state = Mutex(State())

    package init(totalLimit: Int, perAddressLimit: Int, includesLoopback: Bool) {
        self.totalLimit = max(totalLimit, 1)
        self.perAddressLimit = perAddressLimit
        self.includesLoopback = includesLoopback
    }

    /// The limits of a server's configuration: `maxHandshakes` (at most one per client slot) in all, and the
    /// per-address connection cap.
    package convenience init(_ configuration: ServerConfiguration) {
        self.init(
            totalLimit: min(configuration.maxHandshakes, configuration.maxClients),
            perAddressLimit: configuration.maxClientsPerAddress,
            includesLoopback: configuration.limitLoopback
        )
    }

    /// Counts a handshake from `peer` as started, closing the oldest one (with its `close`) when the total is full;
    /// nil (and nothing counted) when `peer`'s address holds all its places.
    package func begin(from peer: PeerAddress, close: @escaping @Sendable () -> Void = {}) -> Ticket? {
        let countsPerAddress = self.perAddressLimit > 0 && (self.includesLoopback || !peer.isLoopback)
        let (ticket, evicted): (Ticket?, Entry?) = self.state.withLock { state in
            if countsPerAddress, state.byAddress[peer.key, default: 0] >= self.perAddressLimit { return (nil, nil) }
            var evicted: Entry?
            if state.entries.count >= self.totalLimit, let oldest = state.entries.keys.min() {
                evicted = Self.remove(oldest, from: &state)
            }
            state.nextID += 1
            state.entries[state.nextID] = Entry(peer: peer, countsPerAddress: countsPerAddress, close: close)
            if countsPerAddress { state.byAddress[peer.key, default: 0] += 1 }
            state.peakSinceTrim = max(state.peakSinceTrim, state.entries.count)
            return (Ticket(id: state.nextID), evicted)
        }
        evicted?.close()
        return ticket
    }

    /// Counts a handshake as over (done, failed, timed out); nothing when it was already closed to make room. The
    /// last one of a flood gives the memory they used back to the system.
    package func end(_ ticket: Ticket) {
        let floodIsOver = self.state.withLock { state in
            _ = Self.remove(ticket.id, from: &state)
            guard state.entries.isEmpty, state.peakSinceTrim >= HeapTrim.worthAfter else { return false }
            state.peakSinceTrim = 0
            return true
        }
        if floodIsOver { HeapTrim.now() }
    }

    private static func remove(_ id: UInt64, from state: inout State) -> Entry? {
        guard let entry = state.entries.removeValue(forKey: id) else { return nil }
        if entry.countsPerAddress {
            let left = state.byAddress[entry.peer.key, default: 1] - 1
            state.byAddress[entry.peer.key] = left > 0 ? left : nil
        }
        return entry
    }

    /// Handshakes in progress now.
    package var count: Int { self.state.withLock { $0.entries.count } }
}
