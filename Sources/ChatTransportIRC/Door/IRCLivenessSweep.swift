import ChatTransportTCP
import NIOCore
import Synchronization

/// The clock of every IRC client's keep-alive on one event loop: a quarter of ``IRCLiveness/interval`` apart, it asks
/// each client it watches whether to ping it or time it out. So a silent client is pinged between one interval and a
/// quarter more after it was last heard, and closed as long after that.
final class IRCLivenessSweep: Sendable {
    private static let sweeps = PerEventLoop { IRCLivenessSweep(loop: $0) }

    /// The sweep of `loop`, started on first use.
    static func shared(for loop: any EventLoop) -> IRCLivenessSweep {
        Self.sweeps.of(loop)
    }

    private let watched = Mutex<[ObjectIdentifier: IRCLiveness]>([:])

    private init(loop: any EventLoop) {
        let period = TimeAmount.nanoseconds(IRCLiveness.interval.nanoseconds / 4)
        loop.scheduleRepeatedTask(initialDelay: period, delay: period) { [weak self] _ in
            self?.sweep()
        }
    }

    func watch(_ liveness: IRCLiveness) {
        self.watched.withLock { $0[ObjectIdentifier(liveness)] = liveness }
    }

    func unwatch(_ liveness: IRCLiveness) {
        self.watched.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(liveness)) }
    }

    private func sweep() {
        let now = NIODeadline.now()
        let clients = self.watched.withLock { watched in
            // A connection that ended without its session saying so is not kept alive by the sweep.
            watched = watched.filter { !$0.value.isGone }
            return Array(watched.values)
        }
        for client in clients {
            client.check(now: now)
        }
    }
}
