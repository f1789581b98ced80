import ChatProtocol
import ChatTerminal
import NIOCore
import NIOPosix

/// The client's connection logic, free of any terminal: connect (to the first of the chat's addresses that accepts,
/// ``connect(onFailure:)``), switch to JSON mode, send the nickname, then pump typed lines to the server and events
/// to a renderer until one side ends.
///
/// The client answers the server's first nickname question itself, so that question is not passed on (the `! `
/// answer to it is). Typed lines wait until the server is ready for them: the welcome, or a question the person
/// answers (a password, or a nickname asked again after a refusal), and after an answer the next line waits for the
/// server's verdict on it; `/quit` goes at once. Chat lines over the server's cap are split (``MessageSplitter``).
public struct ChatClient: Sendable {
    /// How a client session ended.
    public enum Ending: Sendable, Equatable {
        /// We said `/quit` (typed, end of input, or Ctrl-C) and the server closed.
        case quit
        /// The server closed the connection or it broke, without us quitting.
        case connectionLost
        /// The server refused the nickname and asked for another, and ``RefusedNickname/giveUp`` was asked for.
        case nicknameRefused
        /// The password was wrong: three times (the server's limit), or once for a script, whose next lines are chat.
        case passwordRefused
        /// A script's input ended, or held a command, where its registered nickname's password was asked.
        case passwordNotGiven
        /// The nickname or the address is banned: trying again cannot help.
        case banned
        /// The registered nickname logged in from elsewhere, which took this session over.
        case replaced
        /// The port speaks TLS and this client did not.
        case tlsPort
    }

    /// What to do when the server refuses the nickname and asks again, or asks for a password.
    public enum RefusedNickname: Sendable, Equatable {
        /// Show the question; the person answers it at its own prompt (a person at a terminal).
        case askPerson
        /// A script, whose lines are chat: leave with ``Ending/nicknameRefused`` when the nickname is refused; the
        /// first line of input answers a password question unless it is a command (then leave with
        /// ``Ending/passwordNotGiven``), and a wrong answer ends the session (``Ending/passwordRefused``).
        case giveUp
    }

    /// The longest line accepted from the server; generous, since a message line plus JSON framing can exceed the
    /// 4096 bytes the server accepts from clients.
    public static let maximumServerLineLength = 64 * 1024

    /// How long the client waits, after its `/quit`, for the server to finish what came before it and close.
    static let quitGrace: Duration = .seconds(30)
    /// The same wait when the quit was asked for by a signal or a closed output: a moment for the goodbye.
    static let requestedQuitGrace: Duration = .seconds(3)

    /// The chat's addresses, tried in order by ``connect(onFailure:)``: the first that accepts is used.
    public let addresses: [ServerAddress]
    public let nickname: String
    public let whenNicknameRefused: RefusedNickname
    public let security: ClientSecurity

    /// - Precondition: `addresses` is not empty.
    public init(
        addresses: [ServerAddress],
        nickname: String,
        whenNicknameRefused: RefusedNickname = .askPerson,
        security: ClientSecurity = .plain
    ) {
        precondition(!addresses.isEmpty, "a client needs at least one address")
        self.addresses = addresses
        self.nickname = nickname
        self.whenNicknameRefused = whenNicknameRefused
        self.security = security
    }

    /// Runs one session on a connection from ``connect(onFailure:)`` or ``connect(to:)``, and closes it.
    /// - Parameters:
    ///   - connection: the connection to hold the session on.
    ///   - input: typed lines; its end means "quit".
    ///   - quitRequests: a Ctrl-C or similar; each element asks to quit.
    ///   - onEvent: called for every event from the server that is shown, in order; reading waits while it runs.
    public func run(
        on connection: Connection,
        input: AsyncStream<String>,
        quitRequests: AsyncStream<Void>,
        onEvent: @escaping @Sendable (ChatEvent) async -> Void
    ) async -> Ending {
        let channel = connection.channel
        let quitSent = AtomicFlag()
        let refused = AtomicFlag()
        let passwordRefused = AtomicFlag()
        let passwordNotGiven = AtomicFlag()
        let farewell = LockedEnding()
        let stage = JoinStage()
        defer { stage.set(.over) }
        let whenNicknameRefused = self.whenNicknameRefused
        // It throws only what its body throws, and the body catches everything itself.
        let ending = try? await channel.executeThenClose { inbound, outbound -> Ending in
            do {
                try await outbound.write(ByteBuffer(string: "/mode json\n"))
                try await outbound.write(ByteBuffer(string: self.nickname + "\n"))
            } catch {
                return .connectionLost
            }
            return await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let answers = whenNicknameRefused == .giveUp ? AnswerSource.nextLine : .answerPrompt
                    let end = await Self.pump(
                        input: input,
                        quitRequests: quitRequests,
                        to: outbound,
                        quitSent: quitSent,
                        stage: stage,
                        answers: answers,
                        notify: onEvent
                    )
                    // The server handles what was sent before the `/quit`, then says goodbye and closes, which ends
                    // the reader and cancels this wait. A script's hundreds of lines can keep a busy server at it for
                    // seconds, and closing first would lose those not yet handled: only a server that never answers
                    // is left after ``quitGrace``. A signal, or nobody reading our output, leaves sooner.
                    switch end {
                    case .gaveUp: passwordNotGiven.set()
                    case .quitRequested: try? await Task.sleep(for: Self.requestedQuitGrace)
                    case .inputDone: try? await Task.sleep(for: Self.quitGrace)
                    }
                    channel.channel.close(promise: nil)
                }
                var prompts = NicknamePromptTracker()
                var passwordQuestions = 0
                do {
                    for try await inbound in inbound {
                        guard case .line(let bytes) = inbound else {
                            // The server never sends one (README); if one comes anyway, say so rather than drop it.
                            await onEvent(
                                .error(
                                    """
                                    The server sent a line over \(Self.maximumServerLineLength / 1024) KiB; it was not \
                                    shown.
                                    """
                                )
                            )
                            continue
                        }
                        let event = Self.decode(String(decoding: bytes.readableBytesView, as: UTF8.self))
                        let verdict = prompts.classify(event)
                        if verdict == .askedAgain, whenNicknameRefused == .giveUp {
                            // The refusal itself (`! …`) was shown. No typed line can go out as the next nickname
                            // before the close.
                            refused.set()
                            channel.channel.close(promise: nil)
                            continue
                        }
                        if event.kind == .prompt, event.field == "password" {
                            passwordQuestions += 1
                            if passwordQuestions > 1, whenNicknameRefused == .giveUp {
                                // The `! Wrong password.` was shown; the script's next line is chat, not a guess.
                                passwordRefused.set()
                                channel.channel.close(promise: nil)
                                continue
                            }
                        }
                        if let ending = ServerFarewell.ending(for: event) { farewell.set(ending) }
                        if event.kind == .welcome {
                            stage.set(.joined)
                        } else if verdict != .hide, event.kind == .prompt {
                            stage.set(.asked)
                        }
                        if verdict != .hide {
                            await onEvent(event)
                        }
                    }
                } catch {
                    // A reset or similar: the session is over either way.
                }
                stage.set(.over)
                group.cancelAll()
                await group.waitForAll()
                if refused.isSet { return .nicknameRefused }
                if passwordRefused.isSet { return .passwordRefused }
                if passwordNotGiven.isSet { return .passwordNotGiven }
                // The server's reason to close (a ban, say) is what happened, even when we had also said /quit.
                if let ending = farewell.ending { return ending }
                return quitSent.isSet ? .quit : .connectionLost
            }
        }
        return ending ?? .connectionLost
    }

    /// Which typed lines answer the server's questions.
    enum AnswerSource: Sendable {
        /// Those typed at the question's own prompt: the only lines a person's client lets through before joining.
        case answerPrompt
        /// The next line of input, unless it is a command (a script).
        case nextLine
    }

    /// How ``pump(input:quitRequests:to:quitSent:stage:answers:notify:)`` ended.
    private enum PumpEnd {
        /// `/quit` was sent after the input ended or held one.
        case inputDone
        /// `/quit` was sent on a request (a signal, nobody reading the output).
        case quitRequested
        /// A script gave no password where one was asked: nothing more was sent.
        case gaveUp
    }

    /// Sends typed lines until `/quit`, the end of input, or a quit request. Before the welcome a line goes out only
    /// as the answer to a question, and the next waits for the server's verdict on it, so a chat line can never be
    /// taken for a password. A script that gives no password where one was asked (its input ended, or held a
    /// command) ends the session without an answer (``PumpEnd/gaveUp``).
    private static func pump(
        input: AsyncStream<String>,
        quitRequests: AsyncStream<Void>,
        to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        quitSent: AtomicFlag,
        stage: JoinStage,
        answers: AnswerSource,
        notify: @escaping @Sendable (ChatEvent) async -> Void
    ) async -> PumpEnd {
        let gaveUp = AtomicFlag()
        let requested = AtomicFlag()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await line in input {
                    if Task.isCancelled { return }
                    // `/quit` works before joining too, the password question included.
                    if Self.isQuit(line) {
                        guard (try? await outbound.write(ByteBuffer(string: line + "\n"))) != nil else { return }
                        quitSent.set()
                        return
                    }
                    switch await stage.decided() {
                    case .over, .waiting:
                        return
                    case .asked:
                        if answers == .nextLine, line.hasPrefix("/") {
                            await notify(.error("A command cannot answer the password question; it was not sent."))
                            gaveUp.set()
                            return
                        }
                        stage.set(.waiting)
                        guard (try? await outbound.write(ByteBuffer(string: line + "\n"))) != nil else { return }
                    case .joined:
                        guard await Self.send(line, to: outbound, notify: notify) else { return }
                    }
                }
                // A script whose input ends before it has joined waits for the server's verdict on its nickname:
                // where a password is asked, it gives none (nothing is sent as one).
                if answers == .nextLine, !Task.isCancelled, stage.current != .joined, await stage.decided() == .asked {
                    gaveUp.set()
                }
            }
            group.addTask {
                for await _ in quitRequests {
                    requested.set()
                    return
                }
            }
            // Whichever ends first (input, /quit, Ctrl-C) ends the session.
            await group.next()
            group.cancelAll()
        }
        if gaveUp.isSet { return .gaveUp }
        if !quitSent.isSet, !Task.isCancelled {
            quitSent.set()
            try? await outbound.write(ByteBuffer(string: "/quit\n"))
        }
        return requested.isSet ? .quitRequested : .inputDone
    }

    /// Sends one chat line, split into messages when it is over the server's cap (and says so). False when the
    /// connection is gone.
    private static func send(
        _ line: String,
        to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        notify: @Sendable (ChatEvent) async -> Void
    ) async -> Bool {
        switch MessageSplitter.split(line) {
        case .commandTooLong:
            await notify(
                .error("That command was over \(MessageSplitter.maximumBytes) bytes and was not sent.")
            )
            return true
        case .send(let parts):
            if parts.count > 1 {
                await notify(
                    .notice(
                        """
                        That line was over \(MessageSplitter.maximumBytes) bytes; it went out as \(parts.count) \
                        messages.
                        """
                    )
                )
            }
            for part in parts {
                guard (try? await outbound.write(ByteBuffer(string: part + "\n"))) != nil else { return false }
            }
            return true
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
