import ChatProtocol
import ChatTerminal
import Synchronization

/// The terminal client: a prompt line that is never clobbered, coloured events, Tab completion, `/train` rolling
/// across the screen, a hidden password prompt, and reconnection with backoff when the server goes away.
///
/// Terminal I/O comes in as parameters (key bytes, a writer, the width), so it can run against a pseudo-terminal or
/// in tests.
public struct InteractiveClient: Sendable {
    /// The chat's addresses (`HOST PORT`, then each `--server`): the first connection goes to the first that
    /// accepts; after a loss, each round of reconnecting starts with the address after the one that failed
    /// (``ServerAddressRotation``).
    public let addresses: [ServerAddress]
    public let nickname: String
    public let style: TerminalStyle
    /// Waits between reconnection attempts: 1, 2, 4, 8, 15, 30 s, then 30 s again.
    public var reconnectDelays: [Duration] = [
        .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(15), .seconds(30),
    ]
    /// Plain or TLS; reconnects use the same.
    public var security: ClientSecurity = .plain

    /// - Precondition: `addresses` is not empty.
    public init(addresses: [ServerAddress], nickname: String, style: TerminalStyle) {
        precondition(!addresses.isEmpty, "a client needs at least one address")
        self.addresses = addresses
        self.nickname = nickname
        self.style = style
    }

    /// Runs until the user quits; returns the process exit code: 0, 2 when the server was never reachable, or an
    /// ending's status (``ChatClient/Ending/exitStatus``) when reconnecting cannot help (a ban, a session taken over,
    /// a wrong password, a TLS port).
    /// - Parameter resizes: one element each time the terminal changes size (SIGWINCH): the prompt is redrawn.
    public func run(
        keys: AsyncStream<[UInt8]>,
        resizes: AsyncStream<Void> = AsyncStream { $0.finish() },
        write: @escaping @Sendable (String) -> Void,
        columns: @escaping @Sendable () -> Int
    ) async -> Int32 {
        let session = SharedClientSession(ClientSessionState(nickname: self.nickname))
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
            group.addTask {
                for await _ in resizes { await screen.redraw() }
                return nil
            }
            // The connection loop decides the exit code; the key reader ends with it.
            var exitCode: Int32 = 0
            while let result = await group.next() {
                if let code = result {
                    exitCode = code
                    group.cancelAll()
                } else if !link.isConnected || link.isQuitting {
                    // The user quit while we were waiting to reconnect: stop waiting (and watching the size).
                    group.cancelAll()
                }
            }
            await screen.finish()
            return exitCode
        }
    }

    /// Keys → editor → lines to send. Ctrl-C, Ctrl-D on an empty line and `/quit` end the session. Each read's
    /// keys are applied together, so a paste is drawn once.
    private static func readKeys(_ keys: AsyncStream<[UInt8]>, screen: TerminalScreen, link: ConnectionLink) async {
        var decoder = KeyDecoder()
        for await chunk in keys {
            for action in await screen.handle(decoder.feed(chunk)) {
                switch action {
                case .submit(let line):
                    if ChatClient.isQuit(line) {
                        link.quit(with: line)
                        return
                    }
                    switch link.send(line) {
                    case .sent, .nothingToSend: break
                    case .held: await screen.print(["* Not joined yet; that line goes out once you are in."])
                    case .notConnected: await screen.print(["! Not connected; that line was not sent. Reconnecting…"])
                    }
                case .answer(let line):
                    // `/quit` at a question leaves too (the server does not count it as a wrong password).
                    if ChatClient.isQuit(line) {
                        link.quit(with: line)
                        return
                    }
                    if !link.answer(line) {
                        await screen.print(["! Not connected; that answer was not sent. Reconnecting…"])
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

    /// Connects, and reconnects with backoff whenever the connection drops, until the user quits. Each attempt is
    /// a round over the addresses (``connectRound(_:rotation:link:screen:formatter:)``); the backoff comes between
    /// rounds, never between the addresses of one.
    private func keepConnected(
        session: SharedClientSession,
        screen: TerminalScreen,
        link: ConnectionLink,
        formatter: EventFormatter
    ) async -> Int32 {
        var rotation = ServerAddressRotation(self.addresses)
        var failures = 0
        // The position of the address the last connection reached, if one did.
        var lastConnected: Int?
        while !link.isQuitting, !Task.isCancelled {
            let (input, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(256))
            let (nickname, room) = session.state.withLock { ($0.nickname, $0.room) }
            let reachedWelcome = AtomicFlag()
            link.attach(continuation)
            let client = ChatClient(addresses: self.addresses, nickname: nickname, security: self.security)
            let ending: ChatClient.Ending
            let address: ServerAddress
            let outcome = await self.connectRound(
                client,
                rotation: &rotation,
                link: link,
                screen: screen,
                formatter: formatter
            )
            switch outcome {
            case .abandoned:
                link.detach()
                return 0
            case .failed(let failure):
                link.detach()
                // A certificate we do not trust stays untrusted however often we retry: when no other address is
                // left, say why and stop. So does a first connection that found no server at all.
                if rotation.isExhausted || !session.everConnected.load(ordering: .relaxed) {
                    await screen.print([formatter.style.error("! " + failure.message)])
                    return 2
                }
                if link.isQuitting { return 0 }
                // A failed retry says why, in the same words as the first attempt.
                let what = "cannot connect to \(failure.address): \(failure.failure.summary)"
                await self.wait(afterFailures: &failures, saying: what, on: screen, formatter: formatter)
                continue
            case .connected(let connection, let position):
                address = connection.address
                // Which server this is, unless it is the first address and so was the last connection's.
                if position != 0 || (lastConnected ?? 0) != 0 {
                    let verb = lastConnected == nil ? "connected" : "reconnected"
                    let notice = ChatEvent.notice("\(verb) to \(address)")
                    await Self.show(notice, on: screen, formatter: formatter, myNickname: nickname)
                }
                lastConnected = position
                ending = await client.run(on: connection, input: input, quitRequests: AsyncStream { _ in }) { event in
                    if event.kind == ChatEvent.Kind.welcome {
                        session.everConnected.store(true, ordering: .relaxed)
                        reachedWelcome.set()
                        // Back to the room we were in before the connection dropped, then what was typed meanwhile.
                        link.markJoined(
                            first: room.lowercased() != RoomName.lobby.key ? "/join \(room)" : nil
                        )
                    }
                    let myNickname = session.state.withLock { state in
                        state.observe(event)
                        return state.nickname
                    }
                    await Self.show(event, on: screen, formatter: formatter, myNickname: myNickname)
                }
                if reachedWelcome.isSet { failures = 0 }
                // The next round starts with the address after this one: its server may be the one that went away.
                rotation.failed(at: position)
            }
            link.detach()
            if link.isQuitting || ending == .quit { break }
            if !ending.isWorthRetrying {
                // A ban, a session taken over, a wrong password, a TLS port: another try would end the same way.
                let explanation = ending.explanation(host: address.host, port: address.port, nickname: nickname) ?? ""
                await screen.print([formatter.style.error("! " + explanation + ".")])
                return ending.exitStatus
            }
            await self.wait(
                afterFailures: &failures,
                saying: "Connection to \(address) lost",
                on: screen,
                formatter: formatter
            )
        }
        return 0
    }

    /// How a round of connection attempts ended.
    private enum RoundOutcome {
        /// An address accepted; `position` is its place in ``addresses``.
        case connected(ChatClient.Connection, position: Int)
        /// Every address failed; the last failure, not yet shown (the earlier ones were).
        case failed(UnreachableServers.Attempt)
        /// The user quit before an address accepted.
        case abandoned
    }

    /// One round: each address of `rotation` in turn, the next at once when one fails, saying why and which comes
    /// next. An untrusted certificate drops its address from the rotation.
    private func connectRound(
        _ client: ChatClient,
        rotation: inout ServerAddressRotation,
        link: ConnectionLink,
        screen: TerminalScreen,
        formatter: EventFormatter
    ) async -> RoundOutcome {
        let round = rotation.round
        for (step, position) in round.enumerated() {
            if link.isQuitting || Task.isCancelled { return .abandoned }
            let address = self.addresses[position]
            let failure: ConnectionFailure
            do {
                return .connected(try await client.connect(to: address), position: position)
            } catch {
                failure = error
            }
            if case .untrusted = failure.reason {
                rotation.drop(at: position)
            } else {
                rotation.failed(at: position)
            }
            guard step + 1 < round.count else {
                return .failed(UnreachableServers.Attempt(address: address, failure: failure))
            }
            let next = self.addresses[round[step + 1]]
            await screen.print([
                formatter.style.error("! cannot connect to \(address): \(failure.summary); trying \(next)…")
            ])
        }
        // Only for an empty round, which is never tried: an exhausted rotation stops the client first.
        return .abandoned
    }

    /// Says what happened and that the client reconnects, then waits the backoff for the number of `failures` in a
    /// row (and counts this one).
    private func wait(
        afterFailures failures: inout Int,
        saying what: String,
        on screen: TerminalScreen,
        formatter: EventFormatter
    ) async {
        let delay = self.reconnectDelays[min(failures, self.reconnectDelays.count - 1)]
        failures += 1
        let seconds = delay.components.seconds
        await screen.print([formatter.style.error("! \(what); reconnecting in \(seconds)s…")])
        try? await Task.sleep(for: delay)
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
        // A question shown is the person's to answer, at its own prompt: a chat line is never taken for its answer.
        if event.kind == .prompt {
            await screen.beginAnswer(secret: event.field == "password")
        }
    }
}

/// Where typed lines go: the current connection's input, if there is one.
///
/// Until the server has let the connection in, chat lines are held here (in order, at most ``heldLimit``) and only
/// answers to its questions go through, so nothing typed early is taken for a password; the welcome releases them.
/// Held lines outlive a dropped connection and go out after the next welcome.
final class ConnectionLink: Sendable {
    /// What became of a typed line.
    enum Delivery: Equatable {
        case sent
        /// Kept until the server has let us in.
        case held
        /// Empty: nothing to send.
        case nothingToSend
        /// No connection, or too many lines already held: not sent.
        case notConnected
    }

    /// The most chat lines held before joining.
    static let heldLimit = 100

    private struct State {
        var sink: AsyncStream<String>.Continuation?
        var joined = false
        var held: [String] = []
        var quitting = false
    }

    private let state = Mutex(State())

    var isQuitting: Bool { self.state.withLock { $0.quitting } }

    var isConnected: Bool { self.state.withLock { $0.sink != nil } }

    /// A new connection, not joined yet.
    func attach(_ sink: AsyncStream<String>.Continuation) {
        self.state.withLock { state in
            state.sink = sink
            state.joined = false
        }
    }

    func detach() {
        self.state.withLock { state in
            state.sink?.finish()
            state.sink = nil
            state.joined = false
        }
    }

    /// Sends a chat line on the current connection, or holds it until the connection has joined.
    func send(_ line: String) -> Delivery {
        self.state.withLock { state in
            guard let sink = state.sink else { return line.isEmpty ? .nothingToSend : .notConnected }
            if state.joined {
                sink.yield(line)
                return .sent
            }
            if line.isEmpty { return .nothingToSend }
            guard state.held.count < Self.heldLimit else { return .notConnected }
            state.held.append(line)
            return .held
        }
    }

    /// Sends the answer to the server's question at once; false when there is no connection.
    func answer(_ line: String) -> Bool {
        self.state.withLock { state in
            guard let sink = state.sink else { return false }
            sink.yield(line)
            return true
        }
    }

    /// The connection has joined: sends `first` (if any), then the held lines, in the order they were typed.
    func markJoined(first: String?) {
        self.state.withLock { state in
            guard let sink = state.sink else { return }
            state.joined = true
            if let first { sink.yield(first) }
            for line in state.held { sink.yield(line) }
            state.held = []
        }
    }

    /// Sends the quit line (if connected) and ends the session.
    func quit(with line: String) {
        self.state.withLock { state in
            state.quitting = true
            state.sink?.yield(line)
        }
    }
}
