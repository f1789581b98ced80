import ChatCore
import ChatProtocol
import Logging
import NIOCore

/// One accepted TCP connection: reads its lines in its own task and hands them to its ``ChatSession``.
struct TCPConnection: Sendable {
    /// Inbound lines arrive here; output does not go through its writer but through ``outbox``.
    let channel: NIOAsyncChannel<InboundLine, ByteBuffer>
    let outbox: Outbox
    /// The peer's address for logs and the admin console.
    let address: String
    /// The peer as the per-address limits count it.
    let peer: PeerAddress

    /// Builds the pipeline of a freshly accepted channel; runs on its event loop, inside the bind initializer.
    init(configuring channel: any Channel, outboxCapacity: Int, maxLineLength: Int) throws {
        let outbox = Outbox(channel: channel, capacity: outboxCapacity)
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(ByteToMessageHandler(LineDecoder(maximumLineLength: maxLineLength)))
        try operations.addHandler(OutboxWritabilityHandler(outbox: outbox))
        self.channel = try NIOAsyncChannel<InboundLine, ByteBuffer>(wrappingChannelSynchronously: channel)
        self.outbox = outbox
        self.address = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        self.peer = PeerAddress(channel.remoteAddress)
    }

    /// The connection from accept to close. Never throws: whatever happens to this client ends here.
    func run(in environment: SessionEnvironment) async {
        let session = ChatSession(
            endpoint: SessionEndpoint(
                recipient: self.outbox,
                address: self.address,
                peer: self.peer,
                eventLoop: self.channel.channel.eventLoop
            ),
            environment: environment
        )
        guard await session.open() else { return }
        var end = ChatSession.InputEnd.failed
        do {
            try await self.channel.executeThenClose { inbound, _ in
                for try await line in inbound {
                    if await session.receive(line) == .stop {
                        end = .stopped
                        return
                    }
                }
                end = .closedByPeer
            }
        } catch {
            environment.logger.debug("connection ended", metadata: ["peer": "\(self.address)", "error": "\(error)"])
        }
        await session.finish(end)
    }
}
