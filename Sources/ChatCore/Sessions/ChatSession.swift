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

    /// Messages a client may have posted and not yet seen delivered before it waits for them: enough to fill the
    /// hub's batches, few enough that one fast sender cannot queue without bound.
    static let maximumUnsettledLines = 64

    /// Password answers that could not be checked (another check running, the hash queue full) before the
    /// connection is closed.
    static let maximumUncheckedPasswords = 10

    private enum Phase {
        /// Not yet admitted (``open()`` not called, or it refused).
        case closed
        case choosingNickname(failures: Int)
        case givingPassword(as: Nickname, account: Account, wrongAnswers: Int, answersNotChecked: Int)
        case chatting(CommandContext)
    }

    /// Why a joined client left; told to the room.
    private enum Ending {
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

    private let endpoint: SessionEndpoint
    private let environment: SessionEnvironment
    private let connection: ConnectionState
    private var phase = Phase.closed
    private var isAdmitted = false
    private var ending = Ending.connectionLost
    private var flood: FloodControl
    private var nicknameTimeout: Scheduled<Void>?
    private var passwordTimeout: Scheduled<Void>?
    /// Plain messages posted and not yet known to be delivered (see ``maximumUnsettledLines``).
    private var unsettledLines = 0

    private var recipient: any ChatRecipient { self.endpoint.recipient }
    private var hub: ChatHub { self.environment.hub }
    private var registry: CommandRegistry { self.environment.registry }
    private var configuration: ServerConfiguration { self.environment.configuration }
    private var logger: Logger { self.environment.logger }

    public init(endpoint: SessionEndpoint, environment: SessionEnvironment) {
        self.endpoint = endpoint
        self.environment = environment
        self.connection = ConnectionState(
            recipient: endpoint.recipient,
            peer: endpoint.peer,
            // Loopback never crosses a network, and TLS is encrypted: neither is ever warned.
            listeningIfInClear: endpoint.isEncrypted || endpoint.peer.isLoopback ? nil : environment.listening
        )
        self.flood = FloodControl(
            rate: environment.configuration.floodRate,
            burst: environment.configuration.floodBurst
        )
    }

    /// The session's id once it has joined.
    public var sessionID: SessionID? {
        if case .chatting(let context) = self.phase { return context.session }
        return nil
    }

    // MARK: Opening and closing

    /// Lets the connection in and asks for a nickname. False when it is refused (a banned address, the server or the
    /// address full, connecting too often): it has been told why and closed, and nothing else is to be done.
    public func open() async -> Bool {
        guard await self.admit() else { return false }
        self.recipient.send(.notice("Welcome to slashchat, where messages are also commands!"))
        self.askForNickname()
        self.nicknameTimeout = self.scheduleTimeout(
            after: self.configuration.nicknameTimeout,
            saying: "No nickname chosen within \(self.configuration.nicknameTimeout.nanoseconds / 1_000_000_000) seconds"
        )
        return true
    }

    /// Lets in a connection whose transport already knows who it is (an SSH login, a web session) and joins it as
    /// `nickname`, past the nickname question; a registered nickname must come `authenticated`, as its owner.
    /// Returns `.stop` when it cannot join (refused, the nickname taken or registered to someone else): the
    /// client has been told why and closed.
    public func open(as nickname: Nickname, authenticated: Bool) async -> Step {
        guard await self.admit() else { return .stop }
        self.phase = .choosingNickname(failures: 0)
        do {
            let account = try await self.registeredAccount(for: nickname)
            if account != nil, !authenticated {
                throw CommandError.failed("The nickname \(nickname) is registered; log in as its owner to use it.")
            }
            if let account, account.isBanned {
                throw CommandError.failed("The nickname \(account.nickname) is banned from this server.")
            }
            if let account {
                try await self.logIn(as: nickname, owning: account)
            } else {
                try await self.join(as: nickname, catchUpFrom: nil)
            }
            return .goOn
        } catch {
            self.recipient.send(.error("\(error)"))
            await self.stop()
            return .stop
        }
    }

    /// Ends the session once the transport's input has ended: the client leaves its room (telling it why) and the
    /// connection is forgotten. Call it exactly once, after the last ``receive(_:)``, unless `open` refused.
    public func finish(_ end: InputEnd) async {
        self.cancelTimeouts()
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

    private func admit() async -> Bool {
        if let ban = self.hub.addressBans.ban(for: self.endpoint.peer.key) {
            self.recipient.send(.error("Your address is banned from this server until \(ban.endDescription)."))
            await self.recipient.flushAndClose()
            self.logger.notice("refused connection: banned address", metadata: ["peer": "\(self.endpoint.address)"])
            return false
        }
        // The TLS listener counted the connect rate when it accepted the connection, before the handshake's work.
        let admission = self.environment.tracker.admit(
            self.recipient,
            from: self.endpoint.peer,
            countsConnect: !self.endpoint.isEncrypted
        )
        guard admission == .admitted else {
            self.recipient.send(.error(self.refusal(admission)))
            await self.recipient.flushAndClose()
            self.logger.notice("refused connection: \(admission)", metadata: ["peer": "\(self.endpoint.address)"])
            return false
        }
        self.isAdmitted = true
        self.phase = .choosingNickname(failures: 0)
        return true
    }

    /// The one line a refused connection gets before it is closed.
    private func refusal(_ admission: ConnectionTracker.Admission) -> String {
        switch admission {
        case .admitted, .serverFull:
            return "The server is full (\(self.configuration.maxClients) clients); try again later."
        case .tooManyFromAddress:
            return "Too many connections from your address (at most \(self.configuration.maxClientsPerAddress) "
                + "at once); close one and try again."
        case .connectingTooFast(let retryAfter):
            let seconds = max(1, retryAfter.components.seconds + (retryAfter.components.attoseconds > 0 ? 1 : 0))
            return "Your address is connecting too often; try again in \(seconds)s."
        }
    }

    /// Says goodbye's last bytes and closes; the session takes no more lines.
    private func stop() async {
        self.cancelTimeouts()
        await self.recipient.flushAndClose()
    }

    // MARK: Lines

    /// Handles one line from the client. Wait for it before handing over the next.
    public func receive(_ inbound: InboundLine) async -> Step {
        self.passwordTimeout?.cancel()
        self.passwordTimeout = nil
        do {
            switch self.phase {
            case .closed:
                return .stop
            case .choosingNickname(let failures):
                return try await self.chooseNickname(inbound, failures: failures)
            case .givingPassword(let nickname, let account, let wrongAnswers, let answersNotChecked):
                return try await self.checkPassword(
                    inbound,
                    as: nickname,
                    account: account,
                    wrongAnswers: wrongAnswers,
                    answersNotChecked: answersNotChecked
                )
            case .chatting(let context):
                return try await self.chat(inbound, in: context)
            }
        } catch {
            // Only waits throw (a cancelled flood-control sleep): the connection is going away.
            self.logger.debug("session ended", metadata: ["peer": "\(self.endpoint.address)", "error": "\(error)"])
            return .stop
        }
    }

    /// The answer to a line over the length cap, in every phase.
    private var lineTooLong: ChatEvent {
        .error("That line was over \(self.configuration.maxLineLength) bytes and was discarded.")
    }

    /// A line as text, invalid UTF-8 replaced by U+FFFD; nil when it is over the length cap. The cap holds for the
    /// text as decoded, not just the bytes received: each invalid byte becomes three, and a line must not cost
    /// the server (its store, every reader's outbox) more than the cap says.
    private func decode(_ inbound: InboundLine) -> String? {
        guard case .line(let bytes) = inbound else { return nil }
        let text = String(decoding: bytes.readableBytesView, as: UTF8.self)
        return text.utf8.count <= self.configuration.maxLineLength ? text : nil
    }

    // MARK: Choosing a nickname

    private func askForNickname() {
        self.recipient.send(
            ChatEvent(
                kind: .prompt,
                text: "Choose a nickname (1-\(Nickname.maximumLength) letters, digits, _ - .):",
                field: "nickname"
            )
        )
    }

    /// One answer to the nickname question: a free, valid nickname joins (a registered one asks for its password
    /// first); a command allowed before joining runs; anything else is refused, up to the attempt limit.
    private func chooseNickname(_ inbound: InboundLine, failures: Int) async throws -> Step {
        guard try await self.throttle(), !self.recipient.isClosed else { return .stop }
        guard let candidate = self.decode(inbound)?.trimmingSpacesAndTabs() else {
            self.recipient.send(self.lineTooLong)
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
                self.nicknameTimeout?.cancel()
                self.nicknameTimeout = nil
                if account.isBanned {
                    self.recipient.send(.error("The nickname \(account.nickname) is banned from this server."))
                    await self.stop()
                    return .stop
                }
                self.phase = .givingPassword(as: nickname, account: account, wrongAnswers: 0, answersNotChecked: 0)
                if let warning = self.connection.plainTextWarning {
                    self.recipient.send(.notice(warning))
                }
                self.askForPassword(of: account)
                return .goOn
            }
            try await self.join(as: nickname, catchUpFrom: nil)
            return .goOn
        } catch let error as Nickname.ValidationError {
            problem = "Invalid nickname \"\(Sanitizer.clean(candidate))\": \(error)."
        } catch let error as CommandError {
            problem = error.description
        }
        if failures + 1 >= self.configuration.maxNicknameAttempts {
            self.recipient.send(.error("\(problem) Too many failed attempts; goodbye."))
            await self.stop()
            return .stop
        }
        self.phase = .choosingNickname(failures: failures + 1)
        self.recipient.send(.error(problem))
        self.askForNickname()
        return .goOn
    }

    /// The account behind `nickname`, when the server keeps accounts and it is registered.
    private func registeredAccount(for nickname: Nickname) async throws(CommandError) -> Account? {
        guard let store = self.hub.persistence?.store else { return nil }
        do {
            return try await store.account(for: nickname.name)
        } catch {
            throw CommandError.failed("Accounts cannot be checked right now (\(error)); try again later.")
        }
    }

    /// Joins the hub as `nickname`, then replays what the user is owed: the room's history (for a returning
    /// registered user, what was said since they left), their ignore list and their offline private messages.
    private func join(as nickname: Nickname, catchUpFrom: Int64?) async throws(CommandError) {
        self.nicknameTimeout?.cancel()
        self.nicknameTimeout = nil
        let id = try await self.hub.join(
            nickname: nickname,
            recipient: self.recipient,
            address: self.endpoint.address,
            peerKey: self.endpoint.peer.key,
            isRegistered: catchUpFrom != nil,
            commands: self.registry.descriptors.map(\.name)
        )
        self.phase = .chatting(
            CommandContext(
                hub: self.hub,
                session: id,
                registry: self.registry,
                connection: self.connection,
                services: self.environment.services
            )
        )
        if catchUpFrom != nil { await self.hub.restoreIgnoreList(of: id) }
        await self.hub.replayHistory(to: id, sinceMessageID: catchUpFrom)
        // Only registered nicknames can have private messages waiting.
        if catchUpFrom != nil { await self.hub.deliverOfflineMessages(to: id) }
    }

    /// Joins as the owner of a registered nickname: the login is recorded, a stale connection holding the nickname
    /// is taken over, and the catch-up starts where the owner left off.
    private func logIn(as nickname: Nickname, owning account: Account) async throws(CommandError) {
        try? await self.hub.persistence?.store.recordLogin(nickname: account.nickname)
        if await self.hub.isTaken(nickname) {
            await self.hub.takeOver(nickname.name)
        }
        try await self.join(as: nickname, catchUpFrom: account.lastSeenMessageID)
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
            self.recipient.send(.error(Self.describe(error, of: invocation)))
        }
        return await self.honourQuitRequest()
    }

    // MARK: The password of a registered nickname

    private func askForPassword(of account: Account) {
        self.recipient.send(
            ChatEvent(kind: .prompt, text: "The nickname \(account.nickname) is registered. Password:", field: "password")
        )
        // Each answer has its own timer, stopped while the throttle makes us (not the client) wait.
        let seconds = self.configuration.passwordTimeout.nanoseconds / 1_000_000_000
        self.passwordTimeout = self.scheduleTimeout(
            after: self.configuration.passwordTimeout,
            saying: "No password given within \(seconds) seconds"
        )
    }

    /// One answer to the password question, slowed down after failures; the connection is closed when it never
    /// comes right.
    private func checkPassword(
        _ inbound: InboundLine,
        as nickname: Nickname,
        account: Account,
        wrongAnswers: Int,
        answersNotChecked: Int
    ) async throws -> Step {
        guard try await self.throttle(), let login = self.hub.persistence?.login else { return .stop }
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
            self.askForPassword(of: account)
            return .goOn
        }
        let recipient = self.recipient
        let isGone: @Sendable () -> Bool = { recipient.isGone }
        // Brute-force protection (LoginThrottle): the check waits longer after each recent failure from this
        // address, or for this nickname from addresses it has never logged in from; one check at a time.
        switch await login.check(
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
                try await self.logIn(as: nickname, owning: account)
            } catch {
                // Taken again in the moment since the take-over: like any refused nickname.
                self.phase = .choosingNickname(failures: 0)
                self.recipient.send(.error(error.description))
                self.askForNickname()
            }
            return .goOn
        case .gone:
            return .stop
        case .tryAgain(let reason):
            if answersNotChecked + 1 >= Self.maximumUncheckedPasswords {
                self.recipient.send(.error("\(reason) Too many tries; goodbye."))
                await self.stop()
                return .stop
            }
            self.recipient.send(.error(reason))
            self.phase = .givingPassword(
                as: nickname,
                account: account,
                wrongAnswers: wrongAnswers,
                answersNotChecked: answersNotChecked + 1
            )
        case .wrong:
            self.logger.notice(
                "wrong password",
                metadata: ["nickname": "\(account.nickname)", "peer": "\(self.endpoint.address)"]
            )
            if wrongAnswers + 1 >= self.configuration.maxPasswordAttempts {
                self.recipient.send(.error("Wrong password \(wrongAnswers + 1) times; goodbye."))
                await self.stop()
                return .stop
            }
            self.recipient.send(.error("Wrong password."))
            self.phase = .givingPassword(
                as: nickname,
                account: account,
                wrongAnswers: wrongAnswers + 1,
                answersNotChecked: answersNotChecked
            )
        }
        self.askForPassword(of: account)
        return .goOn
    }

    // MARK: Chatting

    /// One line of the chat. Plain messages are posted without waiting for their commit (the hub batches them);
    /// anything else waits until this client's messages are out, so everything it causes happens in the order it
    /// typed it.
    private func chat(_ inbound: InboundLine, in context: CommandContext) async throws -> Step {
        // A client that has gone does not act through its backlog (see `throttle`).
        guard try await self.throttle() else {
            self.ending = .closedByClient
            return .stop
        }
        // Once we are closing this connection (shutdown, overflow), a backlog of delayed lines is not worth
        // acting on. (A client's own close is different: its last lines still count.)
        guard !self.recipient.isClosed else {
            self.ending = .closedByClient
            return .stop
        }
        let id = context.session
        // Marked rather than cleaned, so a command can refuse a name that held control characters.
        let parsed = self.decode(inbound).map { ParsedLine(Sanitizer.markingRemovals($0)) }
        let posted: RoomLineTicket? =
            switch parsed {
            case .message(let text): await self.post(text, as: id)
            case .literal(let text): await self.hub.post(text, kind: .message, from: id)
            default: nil
            }
        if let ticket = posted {
            self.unsettledLines += 1
            if self.unsettledLines >= Self.maximumUnsettledLines {
                await self.hub.waitForDelivery(of: ticket)
                self.unsettledLines = 0
            }
            return .goOn
        }
        if self.unsettledLines > 0 {
            await self.hub.waitForOwnLines(id)
            self.unsettledLines = 0
        }
        switch parsed {
        case nil:
            self.recipient.send(self.lineTooLong)
        case .message(let text):
            await self.sayWithEmbeddedCommands(text, in: context)
        case .literal:
            break  // Nothing to post (the hub ignores an empty line).
        case .missingCommandName:
            self.recipient.send(.error("A command needs a name after the /; type /help for the list (// sends a /)."))
        case .command(let invocation):
            await self.dispatch(invocation, in: context)
        }
        return await self.honourQuitRequest()
    }

    /// After a command: a `/quit` (before or after joining) says goodbye and closes.
    private func honourQuitRequest() async -> Step {
        guard let reason = self.connection.quitRequest else { return .goOn }
        self.recipient.send(.notice("Goodbye!"))
        await self.stop()
        self.ending = .quit(reason)
        return .stop
    }

    /// Posts a plain room message without waiting for it; nil (nothing posted) when the line needs more than
    /// that: the emoji help, or legacy commands riding inside it. `text` may carry removal markers.
    private func post(_ text: String, as id: SessionID) async -> RoomLineTicket? {
        guard !Self.isEmojiHelp(text) else { return nil }
        let (clean, commands) = EmbeddedCommands.extract(from: text) { self.registry.command(named: $0) != nil }
        guard commands.isEmpty else { return nil }
        return await self.hub.post(clean, kind: .message, from: id)
    }

    private static func isEmojiHelp(_ text: String) -> Bool {
        text.trimmingSpacesAndTabs().lowercased() == "emoji -help"
    }

    /// A room message, emoji expanded. The seeds let legacy commands ride inside a message
    /// (`:tada: /cowsay?Hello/`): the text goes to the room first, then each embedded command runs.
    private func sayWithEmbeddedCommands(_ text: String, in context: CommandContext) async {
        if Self.isEmojiHelp(text) {
            self.recipient.send(.notice("Emoji: type shortcodes like :tada: in any message; /emoji [word] lists them."))
            return
        }
        let (remainingText, commands) = EmbeddedCommands.extract(from: text) { self.registry.command(named: $0) != nil }
        await self.hub.say(remainingText, from: context.session)
        for invocation in commands {
            await self.dispatch(invocation, in: context)
        }
    }

    /// One look-up, one run; a failure becomes one `! ` line for the caller.
    private func dispatch(_ invocation: CommandInvocation, in context: CommandContext) async {
        guard let command = self.registry.command(named: invocation.name) else {
            self.recipient.send(.error("Unknown command /\(invocation.name); type /help for the list."))
            return
        }
        do {
            try await command.run(invocation, in: context)
        } catch {
            self.recipient.send(.error(Self.describe(error, of: invocation)))
            if !(error is CommandError) {
                self.logger.error("command failed", metadata: ["command": "\(invocation.name)", "error": "\(error)"])
            }
        }
    }

    /// What the caller hears when a command fails: its own words for a ``CommandError``, a plain apology otherwise.
    private static func describe(_ error: any Error, of invocation: CommandInvocation) -> String {
        (error as? CommandError)?.description ?? "/\(invocation.name) failed unexpectedly."
    }

    // MARK: Waiting

    /// Waits as long as flood control asks, telling the client now and then why. False, without waiting, once the
    /// peer has gone and the line would have to wait: what a disconnected client left queued beyond its flood
    /// allowance is thrown away, so it cannot go on acting (posting, holding its nickname and its slot) for as long
    /// as its backlog would last.
    private func throttle() async throws -> Bool {
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

    /// Closes the connection after `delay` unless cancelled, telling the client `reason` first.
    private func scheduleTimeout(after delay: TimeAmount, saying reason: String) -> Scheduled<Void> {
        let recipient = self.recipient
        return self.endpoint.eventLoop.scheduleTask(in: delay) {
            recipient.send(.error("\(reason); closing the connection."))
            recipient.closeAfterQueued()
        }
    }

    private func cancelTimeouts() {
        self.nicknameTimeout?.cancel()
        self.nicknameTimeout = nil
        self.passwordTimeout?.cancel()
        self.passwordTimeout = nil
    }
}

@available(*, unavailable)
extension ChatSession: Sendable {}
