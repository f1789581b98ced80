import Synchronization

/// One connection's state as commands see it: where its output goes, where it comes from, and what its commands
/// have asked for or used up (a quit, registrations, plugin runs). Named for what it holds; it is not the connection.
public final class ConnectionState: Sendable {
    /// The connection's output queue and wire format.
    public let recipient: any ChatRecipient
    /// Where the connection comes from, as limits count it.
    public let peer: PeerAddress
    private let quitReason = Mutex<String??>(.none)
    private let registrations = Mutex(0)
    /// Program-backed commands (plugins, PATH tools) a user may start: 5 in a row, then one every 2 seconds.
    private let externalRuns = Mutex(TokenBucket(rate: 0.5, burst: 5))

    /// The public key the user logged in with (SSH): `/register` binds it to the new account.
    public let loginKey: AccountKey?

    /// The server's listeners, kept only when this connection is plain text from another machine: the one
    /// reference an idle connection pays for ``plainTextWarning``, which is built only when a password is at stake.
    private let listeningIfInClear: ListeningAddresses?

    /// - Parameters:
    ///   - listeningIfInClear: the server's listeners when the connection is plain text from another machine; nil
    ///     when it is encrypted or local.
    ///   - loginKey: the public key the user logged in with, on a door that has them (SSH).
    public init(
        recipient: any ChatRecipient,
        peer: PeerAddress,
        listeningIfInClear: ListeningAddresses? = nil,
        loginKey: AccountKey? = nil
    ) {
        self.recipient = recipient
        self.peer = peer
        self.listeningIfInClear = listeningIfInClear
        self.loginKey = loginKey
    }

    /// Said before a password is asked for or registered: the connection is plain text from another machine,
    /// and which port is encrypted. Nil when the connection is encrypted, local, or no encrypted port exists.
    public var plainTextWarning: String? {
        guard let encrypted = self.listeningIfInClear?.firstEncrypted else { return nil }
        return "This connection is not encrypted: a password typed here crosses the network as plain text. "
            + "The \(encrypted.kind.uppercased()) port \(encrypted.port) is encrypted "
            + "(client HOST \(encrypted.port) NICKNAME --tls)."
    }

    /// True once the connection is closing or its peer has gone: work done for it now is wasted.
    public var isGone: Bool {
        self.recipient.isGone
    }

    /// Whether this connection may register another nickname (at most ``RegistrationLimit/perConnection``).
    /// A connection's commands run one at a time, so checking first and recording afterwards cannot race.
    public var mayRegister: Bool {
        self.registrations.withLock { $0 < RegistrationLimit.perConnection }
    }

    /// Counts a registration this connection made.
    public func recordRegistration() {
        self.registrations.withLock { $0 += 1 }
    }

    /// Asks the connection to say goodbye and close, telling the room `reason`.
    public func requestQuit(reason: String?) {
        self.quitReason.withLock { $0 = .some(reason) }
    }

    /// Takes a token for running an external program; non-zero means "cooling down, wait this long".
    public func takeExternalRunToken() -> Duration {
        self.externalRuns.withLock { bucket in
            let wait = bucket.take()
            if wait > .zero {
                bucket.giveBack()
            }
            return wait
        }
    }

    /// `.none` while no quit was requested; otherwise the (optional) reason to tell the room.
    public var quitRequest: String?? {
        self.quitReason.withLock { $0 }
    }
}
