import ChatCore
import Logging
import NIOCore

/// A connection's setting up (TLS's handshake; SSH's key exchange, login and shell request), kept the same way by
/// every door that has one: counted against `--connect-rate` as soon as it is accepted (before any costly
/// cryptography), holding a place among the ``PendingHandshakes`` until it is done, and closed if it is not done
/// within a timeout. So nobody holds half-open handshakes, or makes the server sign faster than the connect rate
/// allows. Nothing here is logged above debug: scanners and clients that give up are routine on a public port.
///
/// Owned by the door's handler, on the connection's event loop.
package struct HandshakePlace {
    /// What the log calls the door and its set-up: `tls` and `handshake`, `ssh` and `login`.
    private let door: String
    private let phase: String
    private let timeout: TimeAmount
    private let pending: PendingHandshakes
    /// Counts the connection against `--connect-rate`; false when its address connects too often.
    private let admitsConnect: (PeerAddress) -> Bool
    private let logger: Logger
    private var timer: Scheduled<Void>?
    /// This connection's place in ``pending``, to give back once.
    private var ticket: PendingHandshakes.Ticket?

    package init(
        door: String,
        phase: String,
        timeout: TimeAmount,
        pending: PendingHandshakes,
        admitsConnect: @escaping (PeerAddress) -> Bool,
        logger: Logger
    ) {
        self.door = door
        self.phase = phase
        self.timeout = timeout
        self.pending = pending
        self.admitsConnect = admitsConnect
        self.logger = logger
    }

    /// The connection is active: counts it, takes its place and starts the clock. False when it was closed instead
    /// (over the connect rate, or no place left).
    package mutating func take(for channel: any Channel) -> Bool {
        let peer = PeerAddress(channel.remoteAddress)
        let address = SessionEndpoint.describe(channel.remoteAddress)
        guard self.admitsConnect(peer) else {
            self.logger.debug(
                "\(self.door) connection over the connect rate; closing",
                metadata: ["peer": "\(address)"]
            )
            channel.close(promise: nil)
            return false
        }
        guard let ticket = self.pending.begin(from: peer, close: { channel.close(promise: nil) }) else {
            self.logger.debug(
                "too many \(self.door) \(self.phase)s in progress; closing",
                metadata: ["peer": "\(address)"]
            )
            channel.close(promise: nil)
            return false
        }
        self.ticket = ticket
        let logger = self.logger
        let what = "\(self.door) \(self.phase) not finished in \(self.timeout.nanoseconds / 1_000_000_000) s; closing"
        self.timer = channel.eventLoop.scheduleTask(in: self.timeout) {
            logger.debug("\(what)", metadata: ["peer": "\(address)"])
            channel.close(promise: nil)
        }
        return true
    }

    /// Done, or gone: the clock stops and the place is given back (once, however often this is called).
    package mutating func leave() {
        self.timer?.cancel()
        self.timer = nil
        if let ticket = self.ticket {
            self.ticket = nil
            self.pending.end(ticket)
        }
    }

    /// Logs why the set-up failed (debug: routine on a public port).
    package func logFailure(_ error: any Error, on channel: any Channel) {
        self.logger.debug(
            "\(self.door) \(self.phase) failed",
            metadata: ["peer": "\(SessionEndpoint.describe(channel.remoteAddress))", "error": "\(error)"]
        )
    }
}
