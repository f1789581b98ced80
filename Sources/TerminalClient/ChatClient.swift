import ChatProtocol
import NIOCore
import NIOPosix

/// The client's connection logic, free of any terminal: connect, switch to JSON mode, send the nickname, then
/// pump typed lines to the server and events to a renderer until one side ends.
///
/// The client answers the server's first nickname question itself, so that question is not passed on (the `! `
/// answer to it is). Typed lines wait until the server is ready for them: the welcome, or a question the person
/// answers (a password, or a nickname asked again after a refusal); `/quit` goes at once.
public struct ChatClient: Sendable {
    /// How a client session ended.
    public enum Ending: Sendable, Equatable {
        /// We said `/quit` (typed, end of input, or Ctrl-C) and the server closed.
        case quit
        /// The server closed the connection or it broke, without us quitting.
        case connectionLost
        /// The server refused the nickname and asked for another, and ``RefusedNickname/giveUp`` was asked for.
        case nicknameRefused
    }

    /// What to do when the server refuses the nickname and asks again.
    public enum RefusedNickname: Sendable, Equatable {
        /// Show the question; the next typed line is the new nickname (a person at a terminal).
        case askPerson
        /// Leave with ``Ending/nicknameRefused`` (a script, whose lines are chat, not nicknames).
        case giveUp
    }

    /// The longest line accepted from the server; generous, since a message line plus JSON framing can exceed the
    /// 4096 bytes the server accepts from clients.
    public static let maximumServerLineLength = 64 * 1024

    public let host: String
    public let port: Int
    public let nickname: String
    public let whenNicknameRefused: RefusedNickname
    public let security: ClientSecurity

    public init(
        host: String,
        port: Int,
        nickname: String,
        whenNicknameRefused: RefusedNickname = .askPerson,
        security: ClientSecurity = .plain
    ) {
        self.host = host
        self.port = port
        self.nickname = nickname
        self.whenNicknameRefused = whenNicknameRefused
        self.security = security
    }

    /// Runs one session.
    /// - Parameters:
    ///   - input: typed lines; its end means "quit".
    ///   - quitRequests: a Ctrl-C or similar; each element asks to quit.
    ///   - onEvent: called for every event from the server that is shown, in order; reading waits while it runs.
    /// - Throws: ``ConnectionFailure`` when the server cannot be reached (or, over TLS, not trusted).
    public func run(
        input: AsyncStream<String>,
        quitRequests: AsyncStream<Void>,
        onEvent: @escaping @Sendable (ChatEvent) async -> Void
    ) async throws -> Ending {
        let channel: NIOAsyncChannel<InboundLine, ByteBuffer>
        let handshake: TLSClientPipeline.Handshake?
        let security = self.security
        do {
            (channel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: self.host, port: self.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        var handshake: TLSClientPipeline.Handshake?
                        if case .tls(let trust) = security {
                            handshake = try TLSClientPipeline.add(to: channel, trust: trust)
                        }
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
                throw error
            }
        }
        let quitSent = Flag()
        let refused = Flag()
        let ready = Flag()
        let (readySignal, signalReady) = AsyncStream.makeStream(of: Void.self)
        defer { signalReady.finish() }
        let whenNicknameRefused = self.whenNicknameRefused
        return try await channel.executeThenClose { inbound, outbound in
            do {
                try await outbound.write(ByteBuffer(string: "/mode json\n"))
                try await outbound.write(ByteBuffer(string: self.nickname + "\n"))
            } catch {
                return .connectionLost
            }
            return await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let gate = InputGate(isOpen: ready, opened: readySignal)
                    await Self.pump(
                        input: input,
                        quitRequests: quitRequests,
                        to: outbound,
                        quitSent: quitSent,
                        gate: gate
                    )
                    // Give the server a moment to say goodbye and close; then close ourselves.
                    try? await Task.sleep(for: .seconds(3))
                    channel.channel.close(promise: nil)
                }
                var prompts = NicknamePromptTracker()
                do {
                    for try await inbound in inbound {
                        guard case .line(let bytes) = inbound else {
                            // The server never sends one (README); if one comes anyway, say so rather than drop it.
                            await onEvent(
                                .error("The server sent a line over \(Self.maximumServerLineLength / 1024) KiB; it was not shown.")
                            )
                            continue
                        }
                        let event = Self.decode(String(decoding: bytes.readableBytesView, as: UTF8.self))
                        let verdict = prompts.classify(event)
                        if verdict == .askedAgain, whenNicknameRefused == .giveUp {
                            // The refusal itself (`! …`) was shown. The gate stays shut, so no typed line can go
                            // out as the next nickname before the close.
                            refused.set()
                            channel.channel.close(promise: nil)
                            continue
                        }
                        if prompts.isReadyForInput, !ready.isSet {
                            ready.set()
                            signalReady.yield()
                            signalReady.finish()
                        }
                        if verdict != .hide {
                            await onEvent(event)
                        }
                    }
                } catch {
                    // A reset or similar: the session is over either way.
                }
                let ending: Ending = refused.isSet ? .nicknameRefused : quitSent.isSet ? .quit : .connectionLost
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
        quitSent: Flag,
        gate: InputGate
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await line in input {
                    if Task.isCancelled { return }
                    let quitting = Self.isQuit(line)
                    // `/quit` works before joining too; anything else waits until the server is ready for it.
                    if !quitting, !(await gate.waitUntilOpen()) { return }
                    guard (try? await outbound.write(ByteBuffer(string: line + "\n"))) != nil else { return }
                    if quitting {
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

    /// Turns one server line into an event. Lines that are not JSON (the greeting and the first nickname question,
    /// sent before `/mode json` took effect, or a server that does not speak it) are read as plain-mode lines.
    static func decode(_ line: String) -> ChatEvent {
        if line.hasPrefix("{"), let event = try? WireFormat.decodeJSON(line) {
            return event
        }
        if line.hasPrefix("* ") {
            let text = String(line.dropFirst(2))
            if text.hasPrefix(NicknamePromptTracker.plainNicknameQuestion) {
                return ChatEvent(kind: .prompt, text: text, field: "nickname")
            }
            return .notice(text)
        }
        if line.hasPrefix("! ") { return .error(String(line.dropFirst(2))) }
        return .notice(line)
    }
}

/// Where typed lines wait until the server is ready for them; opened once, never closed again.
struct InputGate: Sendable {
    let isOpen: Flag
    let opened: AsyncStream<Void>

    /// True once open; false when the session ended (or the task was cancelled) first.
    func waitUntilOpen() async -> Bool {
        if self.isOpen.isSet { return true }
        for await _ in self.opened { break }
        return self.isOpen.isSet && !Task.isCancelled
    }
}
