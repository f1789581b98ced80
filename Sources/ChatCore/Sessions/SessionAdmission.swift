import ChatProtocol
import Logging

/// The door in front of every session: a banned address, a full server or an address that connects too often is
/// told why in one line and closed before any dialogue starts.
///
/// Kept apart from the dialogue so the refusals and their wording can be read, and tested, in one place.
struct SessionAdmission {
    let endpoint: SessionEndpoint
    let environment: SessionEnvironment

    /// Counts the connection in; false when it is refused: it has been told why and closed, and the caller has
    /// nothing else to do.
    func admit() async -> Bool {
        let recipient = self.endpoint.recipient
        let logger = self.environment.logger
        if let ban = self.environment.hub.addressBans.ban(for: self.endpoint.peer.key) {
            recipient.send(.error(Self.banRefusal(until: ban.endDescription)))
            await recipient.flushAndClose()
            logger.notice("refused connection: banned address", metadata: ["peer": "\(self.endpoint.address)"])
            return false
        }
        // A door that counts the connect rate when it accepts the connection (TLS before the handshake's work, the
        // web door before the HTTP request) has counted it already.
        let admission = self.environment.tracker.admit(
            recipient,
            from: self.endpoint.peer,
            countsConnect: !self.endpoint.connectCountedAtAccept
        )
        guard admission == .admitted else {
            recipient.send(.error(Self.refusal(admission, configuration: self.environment.configuration)))
            await recipient.flushAndClose()
            logger.notice("refused connection: \(admission)", metadata: ["peer": "\(self.endpoint.address)"])
            return false
        }
        return true
    }

    /// The one line a connection from a banned address gets; `end` says when the ban ends.
    static func banRefusal(until end: String) -> String {
        "Your address is banned from this server until \(end)."
    }

    /// The one line a connection the tracker refused gets before it is closed.
    static func refusal(_ admission: ConnectionTracker.Admission, configuration: ServerConfiguration) -> String {
        switch admission {
        case .admitted, .serverFull:
            return "The server is full (\(configuration.maxClients) clients); try again later."
        case .tooManyFromAddress:
            return "Too many connections from your address (at most \(configuration.maxClientsPerAddress) "
                + "at once); close one and try again."
        case .connectingTooFast(let retryAfter):
            // Whole seconds, rounded up and never 0, so a client that waits that long is let in.
            let seconds = max(1, retryAfter.components.seconds + (retryAfter.components.attoseconds > 0 ? 1 : 0))
            return "Your address is connecting too often; try again in \(seconds)s."
        }
    }
}
