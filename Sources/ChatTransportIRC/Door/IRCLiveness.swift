import ChatCore
import ChatTransportTCP
import NIOCore
import Synchronization

/// IRC's keep-alive for one client: silent for ``interval``, it is sent a PING; still silent an interval after that,
/// it is closed with `ERROR :Ping timeout`. The clock is one sweep per event loop (``IRCLivenessSweep``), not a timer
/// per client: a timer cost every idle IRC connection about 580 bytes (its repeated task, scheduled task, promise and
/// callbacks), a tenth of its memory.
final class IRCLiveness: Sendable {
    /// How long a client may be silent before it is pinged, and then before it is closed.
    static let interval = TimeAmount.seconds(120)

    /// What a sweep does for one client.
    enum Verdict: Equatable {
        /// Heard from within the interval (since its last ping, if any): nothing to do.
        case wait
        /// Pinged, not answered yet, not for a whole interval.
        case awaitAnswer
        case ping
        case timeOut
    }

    private let sweep: IRCLivenessSweep
    private let connection: IRCConnection
    private let serverName: String
    /// When something last came from the client, in `NIODeadline` nanoseconds.
    private let lastHeard: Atomic<UInt64>
    /// When it was pinged and has not answered since; 0 when it has not been pinged.
    private let pingedAt = Atomic<UInt64>(0)

    init(eventLoop: any EventLoop, connection: IRCConnection, serverName: String) {
        self.sweep = IRCLivenessSweep.shared(for: eventLoop)
        self.connection = connection
        self.serverName = serverName
        self.lastHeard = Atomic(NIODeadline.now().uptimeNanoseconds)
    }

    func start() {
        self.heard()
        self.sweep.watch(self)
    }

    /// Something came from the client.
    func heard() {
        self.lastHeard.store(NIODeadline.now().uptimeNanoseconds, ordering: .relaxed)
    }

    func stop() {
        self.sweep.unwatch(self)
    }

    /// The client's connection is closed or closing: nothing to watch any more.
    var isGone: Bool { self.connection.isGone }

    /// Called by the sweep, on the event loop.
    func check(now: NIODeadline) {
        let pingedAt = self.pingedAt.load(ordering: .relaxed)
        switch Self.verdict(
            now: now.uptimeNanoseconds,
            lastHeard: self.lastHeard.load(ordering: .relaxed),
            pingedAt: pingedAt
        ) {
        case .wait:
            if pingedAt != 0 { self.pingedAt.store(0, ordering: .relaxed) }
        case .awaitAnswer:
            break
        case .ping:
            self.pingedAt.store(now.uptimeNanoseconds, ordering: .relaxed)
            self.connection.send([IRCMessage(command: "PING", parameters: [self.serverName])])
        case .timeOut:
            let seconds = Self.interval.nanoseconds / 1_000_000_000
            self.connection.send([IRCMessage(command: "ERROR", parameters: ["Ping timeout: \(seconds) seconds"])])
            self.connection.closeAfterQueued()
            self.stop()
        }
    }

    /// What to do for a client last heard at `lastHeard` and pinged at `pingedAt` (0: not pinged, or it answered),
    /// at `now` (nanoseconds on one clock).
    static func verdict(now: UInt64, lastHeard: UInt64, pingedAt: UInt64) -> Verdict {
        let interval = UInt64(Self.interval.nanoseconds)
        if pingedAt != 0, lastHeard < pingedAt {
            return now >= pingedAt + interval ? .timeOut : .awaitAnswer
        }
        return now >= lastHeard + interval ? .ping : .wait
    }
}
