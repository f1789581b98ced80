import ChatProtocol
import NIOCore
import NIOPosix

extension ChatClient {
    /// An open connection to one of the chat's addresses (over TLS, past a handshake whose certificate was
    /// trusted), for ``run(on:input:quitRequests:onEvent:)`` to hold a session on.
    public struct Connection: Sendable {
        /// The address it reached.
        public let address: ServerAddress
        let channel: NIOAsyncChannel<InboundLine, ByteBuffer>
    }

    /// Connects to the first of ``addresses`` that accepts, trying them in order and the next at once when one
    /// fails.
    /// - Parameter onFailure: called for each address that failed, when it failed.
    /// - Throws: ``UnreachableServers`` with every address and why, when none could be reached (or, over TLS,
    ///   trusted).
    public func connect(
        onFailure: (UnreachableServers.Attempt) -> Void = { _ in }
    ) async throws(UnreachableServers) -> Connection {
        var attempts: [UnreachableServers.Attempt] = []
        for address in self.addresses {
            do {
                return try await self.connect(to: address)
            } catch {
                let attempt = UnreachableServers.Attempt(address: address, failure: error)
                attempts.append(attempt)
                onFailure(attempt)
            }
        }
        throw UnreachableServers(attempts: attempts)
    }

    /// Connects to one address; over TLS its certificate is judged for that address's own host and port
    /// (``ClientSecurity/trust(for:)``).
    /// - Throws: a ``ConnectionFailure`` that says why it could not be reached, or not trusted.
    public func connect(to address: ServerAddress) async throws(ConnectionFailure) -> Connection {
        let channel: NIOAsyncChannel<InboundLine, ByteBuffer>
        let handshake: TLSClientPipeline.Handshake?
        let trust = self.security.trust(for: address)
        do {
            (channel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handshake = try trust.map { try TLSClientPipeline.add(to: channel, trust: $0) }
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineDecoder(maximumLineLength: Self.maximumServerLineLength))
                        )
                        return (
                            try NIOAsyncChannel<InboundLine, ByteBuffer>(wrappingChannelSynchronously: channel),
                            handshake
                        )
                    }
                }
        } catch {
            throw ConnectionFailure(error)
        }
        if let handshake {
            do {
                try await handshake.outcome()
            } catch {
                // Through executeThenClose, so the async channel's writer is finished before it goes away.
                try? await channel.executeThenClose { _, _ in }
                throw ConnectionFailure(error)
            }
        }
        return Connection(address: address, channel: channel)
    }
}
