import ChatCore
import ChatProtocol
import ChatTesting
import NIOCore
import NIOPosix
import Synchronization

/// A stand-in chat server that speaks the plain protocol and misbehaves on purpose, so the bench's loss and garble
/// counts can be checked against exact numbers.
///
/// It answers the nickname line with `* welcome, NICK`, then relays each line a client sends to every other client as
/// `<NICK> line`. Every connection lives on one event loop, so each relay happens in one piece and the ``Tally`` is
/// exact. It may listen on several ports at once (a stand-in for the nodes of a cluster): one room for all of them,
/// and the tally says who came through which.
final class FakeRelayServer: Sendable {
    /// What goes wrong on purpose.
    struct Faults: Sendable {
        /// Relays every `n`th message received (counted over all clients) to nobody.
        var dropEveryNthMessage: Int?
        /// Cuts the last 3 bytes off every `n`th relayed line (counted over all deliveries).
        var truncateEveryNthDelivery: Int?
        /// Sends every `n`th relayed line twice (counted over all deliveries).
        var duplicateEveryNthDelivery: Int?
    }

    /// What the server did, counted as it did it.
    struct Tally: Sendable, Equatable {
        var messagesReceived = 0
        var messagesDropped = 0
        /// One per recipient a dropped message would have reached.
        var deliveriesDropped = 0
        /// Every line relayed, truncated or not.
        var deliveriesSent = 0
        var deliveriesTruncated = 0
        /// Extra copies sent; not counted in ``deliveriesSent``.
        var deliveriesDuplicated = 0
        /// Clients that joined, by the port they connected to.
        var joinsByPort: [Int: Int] = [:]
        /// Messages received, by the port their sender connected to.
        var messagesByPort: [Int: Int] = [:]
    }

    private struct State {
        var members: [(id: ObjectIdentifier, channel: any Channel)] = []
        var tally = Tally()
    }

    /// Every port it listens on, in the order they were opened.
    let ports: [Int]
    private let faults: Faults
    private let state: Mutex<State>

    /// The first port.
    var port: Int { self.ports[0] }

    private init(ports: [Int], faults: Faults) {
        self.ports = ports
        self.faults = faults
        self.state = Mutex(State())
    }

    /// What happened so far.
    var tally: Tally {
        self.state.withLock { $0.tally }
    }

    /// Runs `body` against a fresh fake server on 127.0.0.1, listening on `ports` ports (each port 0), then closes it
    /// and its connections.
    static func withServer(
        faults: Faults = Faults(),
        ports: Int = 1,
        _ body: (FakeRelayServer) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = LockedValue<FakeRelayServer?>(nil)
        var listeners: [any Channel] = []
        do {
            for _ in 0..<ports {
                listeners.append(try await Self.listen(group: group, relay: relay))
            }
            let server = FakeRelayServer(ports: listeners.compactMap { $0.localAddress?.port }, faults: faults)
            guard server.ports.count == ports else { throw ExpectationFailure("the fake server has no local port") }
            relay.withLock { $0 = server }
            let bodyError: (any Error)?
            do {
                try await body(server)
                bodyError = nil
            } catch {
                bodyError = error
            }
            for listener in listeners { try? await listener.close() }
            for member in server.state.withLock({ $0.members }) {
                try? await member.channel.close()
            }
            try? await group.shutdownGracefully()
            if let bodyError {
                throw bodyError
            }
        } catch {
            for listener in listeners { try? await listener.close() }
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// One listening port whose connections join the server `relay` holds.
    private static func listen(
        group: MultiThreadedEventLoopGroup,
        relay: LockedValue<FakeRelayServer?>
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server = relay.value else { throw ChannelError.ioOnClosedChannel }
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ByteToMessageHandler(LineDecoder(maximumLineLength: 64 * 1024)))
                    try operations.addHandler(FakeRelayHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    // MARK: Called by the handlers, on the one event loop

    fileprivate func join(_ channel: any Channel) {
        let port = channel.localAddress?.port ?? 0
        self.state.withLock { state in
            state.members.append((ObjectIdentifier(channel), channel))
            state.tally.joinsByPort[port, default: 0] += 1
        }
    }

    fileprivate func leave(_ channel: any Channel) {
        self.state.withLock { $0.members.removeAll { $0.id == ObjectIdentifier(channel) } }
    }

    fileprivate func relay(_ line: ByteBuffer, from nickname: String, sender: any Channel) {
        let faults = self.faults
        let port = sender.localAddress?.port ?? 0
        let deliveries: [(any Channel, ByteBuffer)] = self.state.withLock { state in
            state.tally.messagesReceived += 1
            state.tally.messagesByPort[port, default: 0] += 1
            let recipients = state.members.filter { $0.id != ObjectIdentifier(sender) }.map(\.channel)
            if let every = faults.dropEveryNthMessage, state.tally.messagesReceived % every == 0 {
                state.tally.messagesDropped += 1
                state.tally.deliveriesDropped += recipients.count
                return []
            }
            var deliveries: [(any Channel, ByteBuffer)] = []
            for recipient in recipients {
                state.tally.deliveriesSent += 1
                var text = ByteBuffer(string: "<\(nickname)> ")
                text.writeImmutableBuffer(line)
                if let every = faults.truncateEveryNthDelivery, state.tally.deliveriesSent % every == 0 {
                    state.tally.deliveriesTruncated += 1
                    text.moveWriterIndex(to: text.writerIndex - 3)
                }
                text.writeString("\n")
                deliveries.append((recipient, text))
                if let every = faults.duplicateEveryNthDelivery, state.tally.deliveriesSent % every == 0 {
                    state.tally.deliveriesDuplicated += 1
                    deliveries.append((recipient, text))
                }
            }
            return deliveries
        }
        for (recipient, text) in deliveries {
            recipient.writeAndFlush(text, promise: nil)
        }
    }
}

/// One fake-server connection: the first line is the nickname, every later line is relayed.
private final class FakeRelayHandler: ChannelInboundHandler {
    typealias InboundIn = InboundLine
    typealias OutboundOut = ByteBuffer

    private let server: FakeRelayServer
    private var nickname: String?

    init(server: FakeRelayServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(let line) = Self.unwrapInboundIn(data) else { return }
        guard let nickname = self.nickname else {
            let nickname = String(buffer: line)
            self.nickname = nickname
            let welcome = ByteBuffer(string: "* welcome, \(nickname)\n")
            context.writeAndFlush(Self.wrapOutboundOut(welcome), promise: nil)
            self.server.join(context.channel)
            return
        }
        self.server.relay(line, from: nickname, sender: context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.server.leave(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension FakeRelayHandler: Sendable {}
