import NIOCore
import NIOPosix

/// The client's connection logic, free of any terminal: connect, switch to JSON mode, send the nickname, then
/// pump typed lines to the server and events to a renderer until one side ends.
public struct ChatClient: Sendable {
    /// How a client session ended.
    public enum Ending: Sendable, Equatable {
        /// We said `/quit` (typed, end of input, or Ctrl-C) and the server closed.
        case quit
        /// The server closed the connection or it broke, without us quitting.
        case connectionLost
    }

    /// The longest line accepted from the server; generous, since a message line plus JSON framing can exceed the
    /// 4096 bytes the server accepts from clients.
    public static let maximumServerLineLength = 64 * 1024

    public let host: String
    public let port: Int
    public let nickname: String

    public init(host: String, port: Int, nickname: String) {
        self.host = host
        self.port = port
        self.nickname = nickname
    }

    /// Runs one session.
    /// - Parameters:
    ///   - input: typed lines; its end means "quit".
    ///   - quitRequests: a Ctrl-C or similar; each element asks to quit.
    ///   - onEvent: called for every event from the server, in order; reading waits while it runs.
    /// - Throws: when the server cannot be reached.
    public func run(
        input: AsyncStream<String>,
        quitRequests: AsyncStream<Void>,
        onEvent: @escaping @Sendable (ChatEvent) async -> Void
    ) async throws -> Ending {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: self.host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineDecoder(maximumLineLength: Self.maximumServerLineLength))
                    )
                    return try NIOAsyncChannel<InboundLine, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let quitSent = Flag()
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "/mode json\n"))
            try await outbound.write(ByteBuffer(string: self.nickname + "\n"))
            return await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await Self.pump(input: input, quitRequests: quitRequests, to: outbound, quitSent: quitSent)
                    // Give the server a moment to say goodbye and close; then close ourselves.
                    try? await Task.sleep(for: .seconds(3))
                    channel.channel.close(promise: nil)
                }
                do {
                    for try await inbound in inbound {
                        guard case .line(let bytes) = inbound else { continue }
                        await onEvent(Self.decode(String(decoding: bytes.readableBytesView, as: UTF8.self)))
                    }
                } catch {
                    // A reset or similar: the session is over either way.
                }
                let ending: Ending = quitSent.isSet ? .quit : .connectionLost
                group.cancelAll()
                return ending
            }
        }
    }

    /// Sends typed lines until `/quit`, the end of input, or a quit request.
    private static func pump(
        input: AsyncStream<String>,
        quitRequests: AsyncStream<Void>,
        to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        quitSent: Flag
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await line in input {
                    if Task.isCancelled { return }
                    guard (try? await outbound.write(ByteBuffer(string: line + "\n"))) != nil else { return }
                    if Self.isQuit(line) {
                        quitSent.set()
                        return
                    }
                }
            }
            group.addTask {
                for await _ in quitRequests { return }
            }
            // Whichever ends first (input, /quit, Ctrl-C) ends the session.
            await group.next()
            group.cancelAll()
        }
        if !quitSent.isSet, !Task.isCancelled {
            quitSent.set()
            try? await outbound.write(ByteBuffer(string: "/quit\n"))
        }
    }

    /// True for the line forms the server treats as quitting.
    static func isQuit(_ line: String) -> Bool {
        guard case .command(let invocation) = ParsedLine(line.trimmingSpacesAndTabs()) else { return false }
        return ["quit", "exit", "bye"].contains(invocation.name)
    }

    /// Turns one server line into an event. Lines that are not JSON (the greeting, sent before `/mode json` took
    /// effect, or a server that does not speak it) are read as plain-mode lines.
    static func decode(_ line: String) -> ChatEvent {
        if line.hasPrefix("{"), let event = try? WireFormat.decodeJSON(line) {
            return event
        }
        if line.hasPrefix("* ") { return .notice(String(line.dropFirst(2))) }
        if line.hasPrefix("! ") { return .error(String(line.dropFirst(2))) }
        return .notice(line)
    }
}
