import ChatBench
import ChatProtocol
import ChatTesting
import NIOCore
import NIOPosix
import Synchronization

/// A small IRC server for the bench's IRC dialect: registration (`NICK`, `USER`, then `001`), `JOIN` (the join
/// echo, `353` and `366`), `PRIVMSG` relayed to the channel's other members as `:nick!user@host PRIVMSG #chan :text`
/// (not echoed, like ngircd), and one `PING` to each client once it has joined, whose `PONG` it counts.
final class FakeIRCServer: Sendable {
    /// What the server saw.
    struct Tally: Sendable, Equatable {
        var registered = 0
        var joined = 0
        var messagesReceived = 0
        var deliveriesSent = 0
        var pongs = 0
        /// Lines it did not understand.
        var unknown: [String] = []
    }

    private struct State {
        var members: [(id: ObjectIdentifier, channel: any Channel)] = []
        var tally = Tally()
    }

    let port: Int
    private let state = Mutex(State())

    private init(port: Int) {
        self.port = port
    }

    var tally: Tally {
        self.state.withLock { $0.tally }
    }

    /// Runs `body` against a fresh fake server on 127.0.0.1, port 0, then closes it and its connections.
    static func withServer(_ body: (FakeIRCServer) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let holder = LockedValue<FakeIRCServer?>(nil)
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server = holder.value else { throw ChannelError.ioOnClosedChannel }
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ByteToMessageHandler(LineDecoder(maximumLineLength: 8 * 1024)))
                    try operations.addHandler(FakeIRCHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = FakeIRCServer(port: listener.localAddress?.port ?? 0)
        holder.withLock { $0 = server }
        let bodyError: (any Error)?
        do {
            try await body(server)
            bodyError = nil
        } catch {
            bodyError = error
        }
        try? await listener.close()
        for member in server.state.withLock({ $0.members }) {
            try? await member.channel.close()
        }
        try? await group.shutdownGracefully()
        if let bodyError { throw bodyError }
    }

    // MARK: Called by the handlers, on the one event loop

    fileprivate func count(_ update: (inout Tally) -> Void) {
        self.state.withLock { update(&$0.tally) }
    }

    fileprivate func join(_ channel: any Channel) {
        self.state.withLock { state in
            state.members.append((ObjectIdentifier(channel), channel))
            state.tally.joined += 1
        }
    }

    fileprivate func leave(_ channel: any Channel) {
        self.state.withLock { $0.members.removeAll { $0.id == ObjectIdentifier(channel) } }
    }

    fileprivate func relay(_ text: Substring, from nickname: String, sender: any Channel) {
        let line = ":\(nickname)!\(nickname)@127.0.0.1 PRIVMSG \(BenchDialect.ircChannel) :\(text)\r\n"
        let recipients: [any Channel] = self.state.withLock { state in
            state.tally.messagesReceived += 1
            let recipients = state.members.filter { $0.id != ObjectIdentifier(sender) }.map(\.channel)
            state.tally.deliveriesSent += recipients.count
            return recipients
        }
        for recipient in recipients {
            recipient.writeAndFlush(ByteBuffer(string: line), promise: nil)
        }
    }
}

/// One fake IRC connection.
private final class FakeIRCHandler: ChannelInboundHandler {
    typealias InboundIn = InboundLine
    typealias OutboundOut = ByteBuffer

    private let server: FakeIRCServer
    private var nickname: String?

    init(server: FakeIRCServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(let bytes) = Self.unwrapInboundIn(data) else { return }
        let line = String(buffer: bytes)
        let words = line.split(separator: " ", maxSplits: 1)
        guard let command = words.first else { return }
        let rest = words.count > 1 ? words[1] : ""
        switch command {
        case "NICK":
            self.nickname = String(rest)
        case "USER":
            guard let nickname = self.nickname else { return }
            self.server.count { $0.registered += 1 }
            self.send(":fake 001 \(nickname) :Welcome to the fake IRC server\r\n", context: context)
        case "JOIN":
            guard let nickname = self.nickname, rest == BenchDialect.ircChannel else { return }
            self.server.join(context.channel)
            self.send(
                ":\(nickname)!\(nickname)@127.0.0.1 JOIN :\(rest)\r\n"
                    + ":fake 353 \(nickname) = \(rest) :\(nickname)\r\n"
                    + ":fake 366 \(nickname) \(rest) :End of NAMES list\r\n"
                    + "PING :fake\r\n",
                context: context
            )
        case "PRIVMSG":
            guard let nickname = self.nickname, let colon = rest.firstIndex(of: ":") else { return }
            self.server.relay(rest[rest.index(after: colon)...], from: nickname, sender: context.channel)
        case "PONG":
            if rest == ":fake" { self.server.count { $0.pongs += 1 } }
        default:
            self.server.count { $0.unknown.append(line) }
        }
    }

    private func send(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
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
extension FakeIRCHandler: Sendable {}
