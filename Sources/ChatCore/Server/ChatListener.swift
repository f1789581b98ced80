/// One way into the server: an address, a port and a pipeline that turns accepted connections into
/// ``ChatSession``s. ``ChatServer`` runs a list of them in one service, with one graceful shutdown.
///
/// A transport target (TCP, TLS, WebSocket, SSH) provides one; the core never knows which it runs.
public protocol ChatListener: Sendable {
    /// Binds the listening socket. The server binds every listener before it says where they listen and lets any
    /// of them accept, so a port already in use stops the start-up with nothing half running.
    func bind(for environment: SessionEnvironment) async throws -> any BoundChatListener
}

/// A listener whose socket is bound, ready to accept.
public protocol BoundChatListener: Sendable {
    /// Where it listens, with the real port when 0 was asked for.
    var address: ListeningAddress { get }
    /// Accepts connections and runs a session for each until ``stopAccepting()``; returns once every session it
    /// started has ended (the server closes them all at shutdown).
    func run() async
    /// Closes the listening socket; the sessions already running go on.
    func stopAccepting()
}
