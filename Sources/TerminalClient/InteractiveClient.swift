import ChatProtocol
import ChatTerminal
import Synchronization

/// The terminal client: a prompt line that is never clobbered, coloured events, Tab completion, `/train` rolling
/// across the screen, a hidden password prompt, and reconnection with backoff when the server goes away.
///
/// Terminal I/O comes in as parameters (key bytes, a writer, the width), so it can run against a pseudo-terminal or
/// in tests.
public struct InteractiveClient: Sendable {
    public let host: String
    public let port: Int
    public let nickname: String
    public let style: TerminalStyle
    /// Waits between reconnection attempts: 1, 2, 4, 8, 15, 30 s, then 30 s again.
    public var reconnectDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(15), .seconds(30)]
    /// Plain or TLS; reconnects use the same.
    public var security: ClientSecurity = .plain

    public init(host: String, port: Int, nickname: String, style: TerminalStyle) {
        self.host = host
        self.port = port
        self.nickname = nickname
        self.style = style
    }

    /// Runs until the user quits; returns the process exit code (0, or 2 when the server was never reachable).
    public func run(
        keys: AsyncStream<[UInt8]>,
        write: @escaping @Sendable (String) -> Void,
        columns: @escaping @Sendable () -> Int
    ) async -> Int32 {
        let session = SessionBox(ClientSessionState(nickname: self.nickname))
        let editor = LineEditor { word, isFirstWord in
            let (commands, nicknames) = session.state.withLock { ($0.knownCommands, $0.knownNicknames) }
            return Completer(commands: Array(commands), nicknames: Array(nicknames))
                .candidates(for: word, isFirstWord: isFirstWord)
        }
        let screen = TerminalScreen(editor: editor, write: write, columns: columns)
        let link = ConnectionLink()
        let formatter = EventFormatter(style: self.style)

        return await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await Self.readKeys(keys, screen: screen, link: link)
                return nil
            }
            group.addTask {
                await self.keepConnected(session: session, screen: screen, link: link, formatter: formatter)
            }
            // The connection loop decides the exit code; the key reader ends with it.
            var exitCode: Int32 = 0
            while let result = await group.next() {
                if let code = result {
                    exitCode = code
                    group.cancelAll()
                } else if !link.isConnected {
                    // The user quit while we were waiting to reconnect: stop waiting.
                    group.cancelAll()
                }
            }
            await screen.finish()
            return exitCode
        }
    }

    /// Keys → editor → lines to send. Ctrl-C, Ctrl-D on an empty line and `/quit` end the session.
    private static func readKeys(_ keys: AsyncStream<[UInt8]>, screen: TerminalScreen, link: ConnectionLink) async {
        var decoder = KeyDecoder()
        for await chunk in keys {
            for key in decoder.feed(chunk) {
                switch await screen.handle(key) {
                case .submit(let line):
                    if ChatClient.isQuit(line) {
                        link.quit(with: line)
                        return
                    }
                    if !link.send(line), !line.isEmpty {
                        await screen.print(["! Not connected; that line was not sent. Reconnecting…"])
                    }
                case .quit:
                    link.quit(with: "/quit")
                    return
                case .edited, .clearScreen:
                    break
                }
            }
        }
        link.quit(with: "/quit")
    }

    /// Connects, and reconnects with backoff whenever the connection drops, until the user quits.
    private func keepConnected(
        session: SessionBox,
        screen: TerminalScreen,
        link: ConnectionLink,
        formatter: EventFormatter
    ) async -> Int32 {
        var failures = 0
        while !link.isQuitting, !Task.isCancelled {
            let (input, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(256))
            let (nickname, room) = session.state.withLock { ($0.nickname, $0.room) }
            let reachedWelcome = Flag()
            link.attach(continuation)
            let client = ChatClient(host: self.host, port: self.port, nickname: nickname, security: self.security)
            let ending: ChatClient.Ending?
            var failure: ConnectionFailure?
            do {
                let never = AsyncStream<Void> { _ in }
                ending = try await client.run(input: input, quitRequests: never) { event in
                    if event.kind == ChatEvent.Kind.welcome {
                        session.everConnected.store(true, ordering: .relaxed)
                        reachedWelcome.set()
                        // Back to the room we were in before the connection dropped.
                        if room.lowercased() != RoomName.lobby.key {
                            _ = link.send("/join \(room)")
                        }
                    }
                    let myNickname = session.state.withLock { state in
                        state.observe(event)
                        return state.nickname
                    }
                    await Self.show(event, on: screen, formatter: formatter, myNickname: myNickname)
                }
                if reachedWelcome.isSet { failures = 0 }
            } catch {
                ending = nil
                let failed = ConnectionFailure(error)
                failure = failed
                // A certificate we do not trust stays untrusted however often we retry: say why and stop.
                if case .untrusted = failed.reason {
                    await screen.print([formatter.style.error("! " + failed.message(host: self.host, port: self.port))])
                    link.detach()
                    return 2
                }
                if !session.everConnected.load(ordering: .relaxed) {
                    let message = failed.message(host: self.host, port: self.port)
                    await screen.print([formatter.style.error("! " + message)])
                    link.detach()
                    return 2
                }
            }
            link.detach()
            if link.isQuitting || ending == .quit { break }
            let delay = self.reconnectDelays[min(failures, self.reconnectDelays.count - 1)]
            failures += 1
            let seconds = delay.components.seconds
            let address = ConnectionFailure.address(host: self.host, port: self.port)
            // A failed retry says why, in the same words as the first attempt; a drop says it dropped.
            let what = failure.map { "cannot connect to \(address): \($0.summary)" } ?? "Connection to \(address) lost"
            await screen.print([formatter.style.error("! \(what); reconnecting in \(seconds)s…")])
            try? await Task.sleep(for: delay)
        }
        return 0
    }

    private static func show(
        _ event: ChatEvent,
        on screen: TerminalScreen,
        formatter: EventFormatter,
        myNickname: String
    ) async {
        let output = formatter.format(event, myNickname: myNickname)
        if event.kind == .block, event.animation == "train", let lines = event.lines, !lines.isEmpty {
            await screen.print(Array(output.lines.prefix(1)))
            await screen.animate(lines.map(Sanitizer.clean))
            return
        }
        await screen.print(output.lines, bell: output.bell)
        if event.kind == .prompt, event.field == "password" {
            await screen.beginSecretInput()
        }
    }
}

/// The client's memory, shared between the key reader, the connection loop and completion.
final class SessionBox: Sendable {
    let state: Mutex<ClientSessionState>
    /// Whether any connection ever got as far as the welcome: before that, failing to connect is fatal.
    let everConnected = Atomic<Bool>(false)

    init(_ state: ClientSessionState) {
        self.state = Mutex(state)
    }
}

/// Where typed lines go: the current connection's input, if there is one.
final class ConnectionLink: Sendable {
    private struct State {
        var sink: AsyncStream<String>.Continuation?
        var quitting = false
    }

    private let state = Mutex(State())

    var isQuitting: Bool { self.state.withLock { $0.quitting } }

    var isConnected: Bool { self.state.withLock { $0.sink != nil } }

    func attach(_ sink: AsyncStream<String>.Continuation) {
        self.state.withLock { $0.sink = sink }
    }

    func detach() {
        self.state.withLock { state in
            state.sink?.finish()
            state.sink = nil
        }
    }

    /// Sends a line on the current connection; false when there is none.
    func send(_ line: String) -> Bool {
        self.state.withLock { state in
            guard let sink = state.sink else { return false }
            sink.yield(line)
            return true
        }
    }

    /// Sends the quit line (if connected) and ends the session.
    func quit(with line: String) {
        self.state.withLock { state in
            state.quitting = true
            state.sink?.yield(line)
            if state.sink == nil { return }
        }
    }
}
