import ChatProtocol
import Logging
import NIOCore

/// One client's dialogue from its first line to its last, whatever transport carries it: the greeting, the
/// nickname question, the password of a registered nickname, the commands allowed before joining, then the chat.
///
/// A state machine fed one line at a time (``receive(_:)``), so a transport decides how lines reach it: the TCP
/// listener reads them in the connection's task; a transport that starts a task only while a line is handled
/// works the same way. The caller must hand lines over one at a time, in order, and wait for each to be handled
/// (a line may wait for flood control, a password check or the commit of the caller's earlier messages), then call
/// ``finish(_:)`` once when its input ends. Nothing here throws: whatever happens to this client ends here and
/// touches nobody else.
///
/// The rules of each stage live in types of their own, and this class only moves between them: ``SessionAdmission``
/// (who may connect), ``NicknameQuestion``, ``PasswordQuestion``, ``ChatLoop`` (the chat once joined) and
/// ``SessionTimeouts``. Flood control and `/quit` stay here, because every stage shares them.
public final class ChatSession {
    /// Whether the transport should go on handing lines over.
    public enum Step: Sendable, Equatable {
        case goOn
        /// The session is over (the client quit, failed the login, or is being closed): stop reading.
        case stop
    }

    /// How the transport's input ended, for the leave notice.
    public enum InputEnd: Sendable, Equatable {
        /// ``receive(_:)`` said `.stop`.
        case stopped
        /// The peer closed its side cleanly.
        case closedByPeer
        /// The connection failed (a reset, an error).
        case failed
    }

    enum Phase {
        /// Not yet admitted (``open()`` not called, or it refused).
        case closed
        case choosingNickname(NicknameQuestion)
        case givingPassword(PasswordQuestion)
        case chatting(ChatLoop)
    }

    /// Why a joined client left; told to the room.
    enum Ending {
        case quit(String?)
        case closedByClient
        case connectionLost

        var reason: String? {
            switch self {
            case .quit(let reason): reason
            case .closedByClient: nil
            case .connectionLost: "connection lost"
            }
        }
    }

    let endpoint: SessionEndpoint
    let environment: SessionEnvironment
    private let connection: ConnectionState
    var phase = Phase.closed
    private var isAdmitted = false
    var ending = Ending.connectionLost
    private var flood: FloodControl
    var timeouts: SessionTimeouts

    var recipient: any ChatRecipient { self.endpoint.recipient }
    var hub: ChatHub { self.environment.hub }
    private var registry: CommandRegistry { self.environment.registry }
    var configuration: ServerConfiguration { self.environment.configuration }
    var logger: Logger { self.environment.logger }

    /// How ``open()`` lets the client in: asking for a nickname, or as the user the door authenticated.
    private let opening: SessionOpening

    public init(endpoint: SessionEndpoint, environment: SessionEnvironment, opening: SessionOpening = .askNickname) {
        self.endpoint = endpoint
        self.environment = environment
        self.opening = opening
        var loginKey: AccountKey?
        if case .knownUser(let user) = opening { loginKey = user.key }
        self.connection = ConnectionState(
            recipient: endpoint.recipient,
            peer: endpoint.peer,
            // Loopback never crosses a network, and TLS is encrypted: neither is ever warned.
            listeningIfInClear: endpoint.isEncrypted || endpoint.peer.isLoopback ? nil : environment.listening,
            loginKey: loginKey
        )
        self.flood = FloodControl(
            rate: environment.configuration.floodRate,
            burst: environment.configuration.floodBurst
        )
        self.timeouts = SessionTimeouts(eventLoop: endpoint.eventLoop, recipient: endpoint.recipient)
    }

    /// The session's id once it has joined.
    public var sessionID: SessionID? {
        if case .chatting(let chat) = self.phase { return chat.context.session }
        return nil
    }

    // MARK: Opening and closing

    /// Lets the connection in and asks for a nickname, or joins it as the user its door authenticated (the
    /// session's ``SessionOpening``). False when it is refused (a banned address, the server or the address full,
    /// connecting too often): it has been told why and closed, and nothing else is to be done.
    public func open() async -> Bool {
        guard await self.admit() else { return false }
        if case .knownUser(let user) = self.opening {
            await self.join(asKnown: user)
            return true
        }
        self.recipient.send(.notice("Welcome to slashchat, where messages are also commands!"))
        self.recipient.send(NicknameQuestion.prompt)
        self.timeouts.startNicknameTimer(after: self.configuration.nicknameTimeout)
        return true
    }

    /// Joins as the user a door authenticated, past the nickname question; a name that is not a nickname, is
    /// taken, or is registered to someone else (the door did not see them own it) falls back to the question,
    /// with the reason, as if they had typed that name on TCP.
    private func join(asKnown user: KnownUser) async {
        let problem: String
        do {
            let nickname = try Nickname(validating: user.name)
            do {
                try await self.register(as: nickname, authenticated: user.ownsAccount)
                return
            } catch {
                problem = error.description
            }
        } catch {
            problem = NicknameQuestion.invalid(user.name, because: error)
        }
        self.phase = .choosingNickname(self.nicknameQuestion())
        self.recipient.send(.notice("Welcome to slashchat, where messages are also commands!"))
        self.recipient.send(.error(problem))
        self.recipient.send(NicknameQuestion.prompt)
        self.timeouts.startNicknameTimer(after: self.configuration.nicknameTimeout)
    }

    /// Joins as `nickname` once admitted, past the nickname question: a registered nickname must come
    /// `authenticated`, as its owner. `entersLobby` false: into no room (IRC users choose their channels).
    /// - Throws: why it cannot join (taken, registered to someone else, banned); nothing has been sent or closed.
    public func register(
        as nickname: Nickname,
        authenticated: Bool,
        entersLobby: Bool = true
    ) async throws(CommandError) {
        self.phase = .choosingNickname(self.nicknameQuestion())
        let account = try await self.registeredAccount(for: nickname)
        if account != nil, !authenticated {
            throw CommandError.failed("The nickname \(nickname) is registered; log in as its owner to use it.")
        }
        if let account, account.isBanned {
            throw CommandError.failed("The nickname \(account.nickname) is banned from this server.")
        }
        if let account {
            try await self.logIn(as: nickname, owning: account, entersLobby: entersLobby)
        } else {
            try await self.join(as: nickname, catchUpFrom: nil, entersLobby: entersLobby)
        }
    }

    /// Ends the session once the transport's input has ended: the client leaves its room (telling it why) and the
    /// connection is forgotten. Call it exactly once, after the last ``receive(_:)``, unless `open` refused.
    public func finish(_ end: InputEnd) async {
        self.timeouts.stopAll()
        guard self.isAdmitted else { return }
        switch end {
        case .stopped: break
        case .closedByPeer: if case .connectionLost = self.ending { self.ending = .closedByClient }
        case .failed: break
        }
        self.recipient.markClosed()
        if let id = self.sessionID {
            let reason = self.recipient.overflowed ? "dropped: not reading its messages" : self.ending.reason
            await self.hub.leave(id, reason: reason)
        }
        self.environment.tracker.remove(self.recipient, from: self.endpoint.peer)
        self.phase = .closed
    }

    func admit() async -> Bool {
        guard await SessionAdmission(endpoint: self.endpoint, environment: self.environment).admit() else {
            return false
        }
        self.isAdmitted = true
        self.phase = .choosingNickname(self.nicknameQuestion())
        return true
    }

    /// Says goodbye's last bytes and closes; the session takes no more lines.
    func stop() async {
        self.timeouts.stopAll()
        await self.recipient.flushAndClose()
    }

    // MARK: Lines

    /// Handles one line from the client. Wait for it before handing over the next.
    public func receive(_ inbound: InboundLine) async -> Step {
        self.timeouts.stopPasswordTimer()
        do {
            switch self.phase {
            case .closed:
                return .stop
            case .choosingNickname(let question):
                return try await self.chooseNickname(inbound, question: question)
            case .givingPassword(let question):
                return try await self.checkPassword(inbound, question: question)
            case .chatting(let chat):
                return try await self.chat(inbound, in: chat)
            }
        } catch {
            // Only waits throw (a cancelled flood-control sleep): the connection is going away.
            self.logger.debug("session ended", metadata: ["peer": "\(self.endpoint.address)", "error": "\(error)"])
            return .stop
        }
    }

    /// The answer to a line over the length cap, in every phase.
    static func lineTooLong(_ configuration: ServerConfiguration) -> ChatEvent {
        .error("That line was over \(configuration.maxLineLength) bytes and was discarded.")
    }

    /// A line as text, invalid UTF-8 replaced by U+FFFD; nil when it is over the length cap. The cap holds for the
    /// text as decoded, not just the bytes received: each invalid byte becomes three, and a line must not cost
    /// the server (its store, every reader's outbox) more than the cap says.
    func decode(_ inbound: InboundLine) -> String? {
        guard case .line(let bytes) = inbound else { return nil }
        let text = String(decoding: bytes.readableBytesView, as: UTF8.self)
        return text.utf8.count <= self.configuration.maxLineLength ? text : nil
    }

    // MARK: Choosing a nickname

    func nicknameQuestion() -> NicknameQuestion {
        NicknameQuestion(maximumAttempts: self.configuration.maxNicknameAttempts)
    }

    /// One answer to the nickname question: a free, valid nickname joins (a registered one asks for its password
    /// first); a command allowed before joining runs; anything else is refused, up to the attempt limit.
    private func chooseNickname(_ inbound: InboundLine, question: NicknameQuestion) async throws -> Step {
        guard try await self.throttle(), !self.recipient.isClosed else { return .stop }
        guard let candidate = self.decode(inbound)?.trimmingSpacesAndTabs() else {
            self.recipient.send(Self.lineTooLong(self.configuration))
            return .goOn
        }
        if candidate.hasPrefix("/") {
            return await self.runBeforeJoining(candidate)
        }
        let problem: String
        do {
            let nickname = try Nickname(validating: candidate)
            if let account = try await self.registeredAccount(for: nickname) {
                // The nickname is chosen; from here the password answers have timers of their own, which the
                // throttle's waits do not eat into.
                self.timeouts.stopNicknameTimer()
                if account.isBanned {
                    self.recipient.send(.error("The nickname \(account.nickname) is banned from this server."))
                    await self.stop()
                    return .stop
                }
                let passwordQuestion = PasswordQuestion(
                    nickname: nickname,
                    account: account,
                    maximumWrongAnswers: self.configuration.maxPasswordAttempts
                )
                self.phase = .givingPassword(passwordQuestion)
                if let warning = self.connection.plainTextWarning {
                    self.recipient.send(.notice(warning))
                }
                self.askForPassword(passwordQuestion)
                return .goOn
            }
            try await self.join(as: nickname, catchUpFrom: nil)
            return .goOn
        } catch let error as Nickname.ValidationError {
            problem = NicknameQuestion.invalid(candidate, because: error)
        } catch let error as CommandError {
            problem = error.description
        }
        var question = question
        switch question.refuse(because: problem) {
        case .sayGoodbye(let error):
            self.recipient.send(.error(error))
            await self.stop()
            return .stop
        case .askAgain(let error):
            self.phase = .choosingNickname(question)
            self.recipient.send(.error(error))
            self.recipient.send(NicknameQuestion.prompt)
            return .goOn
        }
    }

    /// The account behind `nickname`, when the server keeps accounts and it is registered.
    func registeredAccount(for nickname: Nickname) async throws(CommandError) -> Account? {
        guard let store = self.hub.persistence?.store else { return nil }
        do {
            return try await store.account(for: nickname.name)
        } catch {
            throw CommandError.failed("Accounts cannot be checked right now (\(error)); try again later.")
        }
    }

    /// Joins the hub as `nickname`, then tells the room's topic and replays what the user is owed: the room's history (for a returning
    /// registered user, what was said since they left), their ignore list and their offline private messages.
    private func join(as nickname: Nickname, catchUpFrom: Int64?, entersLobby: Bool = true) async throws(CommandError) {
        self.timeouts.stopNicknameTimer()
        let id = try await self.hub.join(
            nickname: nickname,
            recipient: self.recipient,
            address: self.endpoint.address,
            peerKey: self.endpoint.peer.key,
            isRegistered: catchUpFrom != nil,
            commands: self.registry.descriptors.map(\.name),
            entersLobby: entersLobby
        )
        let context = CommandContext(
            hub: self.hub,
            session: id,
            registry: self.registry,
            connection: self.connection,
            services: self.environment.services
        )
        self.phase = .chatting(ChatLoop(context: context, environment: self.environment))
        if catchUpFrom != nil { await self.hub.restoreIgnoreList(of: id) }
        // A door whose users choose their rooms greets them its own way first, then asks for this (``catchUp()``).
        guard entersLobby else { return }
        await self.hub.tellTopic(to: id, of: .lobby)
        await self.hub.replayHistory(to: id, sinceMessageID: catchUpFrom)
        // Only registered nicknames can have private messages waiting.
        if catchUpFrom != nil { await self.hub.deliverOfflineMessages(to: id) }
    }

    /// Joins as the owner of a registered nickname: the login is recorded, a stale connection holding the nickname
    /// is taken over, and the catch-up starts where the owner left off.
    private func logIn(
        as nickname: Nickname,
        owning account: Account,
        entersLobby: Bool = true
    ) async throws(CommandError) {
        try? await self.hub.persistence?.store.recordLogin(nickname: account.nickname)
        if await self.hub.isTaken(nickname) {
            await self.hub.takeOver(nickname.name)
        }
        try await self.join(as: nickname, catchUpFrom: account.lastSeenMessageID, entersLobby: entersLobby)
    }

    /// A command before joining: only those whose descriptor allows it (`/mode`, `/quit`) run.
    private func runBeforeJoining(_ line: String) async -> Step {
        guard let invocation = CommandInvocation(parsing: line),
            let command = self.registry.command(named: invocation.name),
            command.descriptor.isAvailableBeforeJoining
        else {
            self.recipient.send(.error("Choose a nickname first; commands work once you have joined."))
            return .goOn
        }
        do {
            try await command.runBeforeJoining(invocation, on: self.connection)
        } catch {
            self.recipient.send(.error(ChatLoop.describe(error, of: invocation)))
        }
        return await self.honourQuitRequest()
    }

    // MARK: The password of a registered nickname

    private func askForPassword(_ question: PasswordQuestion) {
        self.recipient.send(question.prompt)
        // Each answer has its own timer, stopped while the throttle makes us (not the client) wait.
        self.timeouts.startPasswordTimer(after: self.configuration.passwordTimeout)
    }

    /// One answer to the password question, slowed down after failures; the connection is closed when it never
    /// comes right.
    private func checkPassword(_ inbound: InboundLine, question: PasswordQuestion) async throws -> Step {
        guard try await self.throttle(), self.hub.persistence != nil else { return .stop }
        var password = ""
        if case .line(let bytes) = inbound {
            password = String(decoding: bytes.readableBytesView, as: UTF8.self)
        }
        // `/quit` (or `/mode`) at the question is that command, not a wrong password: someone who leaves instead of
        // answering is not guessing, and must not slow down the next login from their address.
        if let invocation = CommandInvocation(parsing: password.trimmingSpacesAndTabs()),
            self.registry.command(named: invocation.name)?.descriptor.isAvailableBeforeJoining == true
        {
            guard await self.runBeforeJoining(password.trimmingSpacesAndTabs()) == .goOn else { return .stop }
            self.askForPassword(question)
            return .goOn
        }
        let account = question.account
        let recipient = self.recipient
        let isGone: @Sendable () -> Bool = { recipient.isGone }
        // Brute-force protection (LoginThrottle): the check waits longer after each recent failure from this
        // address, or for this nickname from addresses it has never logged in from; one check at a time.
        let verdict: RefusedAnswer
        var question = question
        switch await self.hub.accountLimits.login.check(
            password,
            against: account.passwordHash,
            nickname: account.nickname,
            address: self.endpoint.peer.key,
            isGone: isGone
        ) {
        case .right:
            // A login whose connection has gone meanwhile is never completed: nobody would be there, and the
            // join notice would tell a guesser that it hit.
            guard !isGone() else { return .stop }
            do {
                try await self.logIn(as: question.nickname, owning: account)
            } catch {
                // Taken again in the moment since the take-over: like any refused nickname.
                self.phase = .choosingNickname(self.nicknameQuestion())
                self.recipient.send(.error(error.description))
                self.recipient.send(NicknameQuestion.prompt)
            }
            return .goOn
        case .gone:
            return .stop
        case .tryAgain(let reason):
            verdict = question.answerWasNotChecked(because: reason)
        case .wrong:
            self.logger.notice(
                "wrong password",
                metadata: ["nickname": "\(account.nickname)", "peer": "\(self.endpoint.address)"]
            )
            verdict = question.answerWasWrong()
        }
        switch verdict {
        case .sayGoodbye(let error):
            self.recipient.send(.error(error))
            await self.stop()
            return .stop
        case .askAgain(let error):
            self.recipient.send(.error(error))
            self.phase = .givingPassword(question)
            self.askForPassword(question)
            return .goOn
        }
    }

    // MARK: Chatting

    /// One line of the chat, handed to the ``ChatLoop`` once flood control lets it through.
    private func chat(_ inbound: InboundLine, in chat: ChatLoop) async throws -> Step {
        // A client that has gone does not act through its backlog (see `throttle`).
        guard try await self.throttle() else {
            self.ending = .closedByClient
            return .stop
        }
        return await self.chat(self.decode(inbound), in: chat)
    }

    /// One decoded chat line (nil: over the cap), flood control already waited for.
    func chat(_ line: String?, in chat: ChatLoop) async -> Step {
        // Once we are closing this connection (shutdown, overflow), a backlog of delayed lines is not worth
        // acting on. (A client's own close is different: its last lines still count.)
        guard !self.recipient.isClosed else {
            self.ending = .closedByClient
            return .stop
        }
        switch await chat.handle(line) {
        case .posted: return .goOn
        case .handled: return await self.honourQuitRequest()
        }
    }

    /// After a command: a `/quit` (before or after joining) says goodbye and closes.
    private func honourQuitRequest() async -> Step {
        guard let reason = self.connection.quitRequest else { return .goOn }
        self.recipient.send(.notice("Goodbye!"))
        await self.stop()
        self.ending = .quit(reason)
        return .stop
    }

    // MARK: Waiting

    /// Waits as long as flood control asks, telling the client now and then why. False, without waiting, once the
    /// peer has gone and the line would have to wait: what a disconnected client left queued beyond its flood
    /// allowance is thrown away, so it cannot go on acting (posting, holding its nickname and its slot) for as long
    /// as its backlog would last.
    func throttle() async throws -> Bool {
        let (delay, warn) = self.flood.admit()
        guard delay > .zero else { return true }
        guard !self.recipient.isPeerGone else { return false }
        if warn {
            self.recipient.send(
                .notice(
                    "Slow down: you are sending faster than \(self.flood.rateDescription) lines per second; "
                        + "your lines are being delayed."
                )
            )
        }
        try await Task.sleep(for: delay)
        return !self.recipient.isPeerGone
    }
}

@available(*, unavailable)
extension ChatSession: Sendable {}
