import ChatTransportTCP
import NIOCore
import Synchronization

/// IRC's keep-alive: a client silent for ``interval`` is sent a PING; one still silent an interval later is closed
/// with `ERROR :Ping timeout`. Runs on the connection's event loop, so an idle client costs no task.
final class IRCLiveness: Sendable {
    /// How long a client may be silent before it is pinged, and then before it is closed.
    static let interval = TimeAmount.seconds(120)

    private let eventLoop: any EventLoop
    private let connection: IRCConnection
    private let serverName: String
    /// Silent ticks in a row (0: heard since the last tick).
    private let silentTicks = Atomic<Int>(0)
    private let task = Mutex<RepeatedTask?>(nil)

    init(eventLoop: any EventLoop, connection: IRCConnection, serverName: String) {
        self.eventLoop = eventLoop
        self.connection = connection
        self.serverName = serverName
    }

    func start() {
        let task = self.eventLoop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) {
            [weak self] _ in
            self?.tick()
        }
        self.task.withLock { $0 = task }
    }

    /// Something came from the client.
    func heard() {
        self.silentTicks.store(0, ordering: .relaxed)
    }

    func stop() {
        self.task.withLock { $0?.cancel() }
    }

    private func tick() {
        let silent = self.silentTicks.wrappingAdd(1, ordering: .relaxed).newValue
        if silent == 1 {
            self.connection.send([IRCMessage(command: "PING", parameters: [self.serverName])])
        } else {
            let seconds = Self.interval.nanoseconds / 1_000_000_000
            self.connection.send([IRCMessage(command: "ERROR", parameters: ["Ping timeout: \(seconds) seconds"])])
            self.connection.closeAfterQueued()
            self.stop()
        }
    }
}
