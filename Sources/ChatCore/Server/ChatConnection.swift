import Logging
import NIOCore

/// One client from accept to close: the nickname dialogue, then the chat loop.
///
/// Runs as a child task of the server's discarding task group. It never throws: whatever happens to this
/// client (a reset, garbage, a flood) ends here and touches nobody else.
struct ChatConnection {
    let accepted: AcceptedConnection
    let hub: ChatHub
    let registry: CommandRegistry
    let services: CommandServices
    let tracker: ConnectionTracker
    let configuration: ServerConfiguration
    let logger: Logger

    private var outbox: Outbox { self.accepted.outbox }

    /// Messages a client may have posted and not yet seen delivered before it waits for them: enough to fill the
    /// hub's batches, few enough that one fast sender cannot queue without bound.
    static let maximumUnsettledLines = 64

    /// Password answers that could not be checked (another check running, the hash queue full) before the
    /// connection is closed.
    static let maximumUncheckedPasswords = 10

    /// The answer to a line over the length cap, in both phases of the connection.
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

    func run() async {
        if let ban = self.hub.addressBans.ban(for: self.accepted.peer.key) {
            self.outbox.send(.error("Your address is banned from this server until \(ban.endDescription)."))
            await self.outbox.flushAndClose()
            self.logger.notice("refused connection: banned address", metadata: ["peer": "\(self.accepted.address)"])
            return
        }
        let admission = self.tracker.admit(self.outbox, from: self.accepted.peer)
        guard admission == .admitted else {
            self.outbox.send(.error(self.refusal(admission)))
            await self.outbox.flushAndClose()
            self.logger.notice("refused connection: \(admission)", metadata: ["peer": "\(self.accepted.address)"])
            return
        }
        defer { self.tracker.remove(self.outbox, from: self.accepted.peer) }

        var session: SessionID?
        var ending = Ending.connectionLost
        var flood = FloodControl(rate: self.configuration.floodRate, burst: self.configuration.floodBurst)
        do {
            try await self.accepted.channel.executeThenClose { inbound, _ in
                var lines = inbound.makeAsyncIterator()
                guard let (id, catchUpFrom) = try await self.chooseNickname(from: &lines, flood: &flood) else { return }
                session = id
                if catchUpFrom != nil { await self.hub.restoreIgnoreList(of: id) }
                await self.hub.replayHistory(to: id, sinceMessageID: catchUpFrom)
                // Only registered nicknames can have private messages waiting.
                if catchUpFrom != nil { await self.hub.deliverOfflineMessages(to: id) }
                ending = try await self.chat(as: id, from: &lines, flood: &flood)
            }
        } catch {
            self.logger.debug("connection ended", metadata: ["peer": "\(self.accepted.address)", "error": "\(error)"])
        }
        self.outbox.markClosed()
        if let session {
            let reason = self.outbox.overflowed ? "dropped: not reading its messages" : ending.reason
            await self.hub.leave(session, reason: reason)
        }
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

    // MARK: Choosing a nickname

    /// Greets, then reads lines until one is a free, valid nickname (and, for a registered one, its password comes).
    /// Returns the session and, for a returning registered user, where their catch-up starts. Nil when the client
    /// gives up or fails.
    private func chooseNickname(
        from lines: inout NIOAsyncChannelInboundStream<InboundLine>.AsyncIterator,
        flood: inout FloodControl
    ) async throws -> (SessionID, Int64?)? {
        let prompt = ChatEvent(
            kind: .prompt,
            text: "Choose a nickname (1-\(Nickname.maximumLength) letters, digits, _ - .):",
            field: "nickname"
        )
        self.outbox.send(.notice("Welcome to slashchat, where messages are also commands!"))
        self.outbox.send(prompt)

        let timeout = self.scheduleNicknameTimeout()
        defer { timeout.cancel() }

        var failures = 0
        while let inbound = try await lines.next() {
            guard try await self.throttle(&flood), !self.outbox.isClosed else { return nil }
            guard let candidate = self.decode(inbound)?.trimmingSpacesAndTabs() else {
                self.outbox.send(self.lineTooLong)
                continue
            }
            if candidate.hasPrefix("/") {
                if try await self.handleCommandBeforeJoining(candidate) { return nil }
                continue
            }

            let problem: String
            do {
                let nickname = try Nickname(validating: candidate)
                var catchUpFrom: Int64?
                if let account = try await self.registeredAccount(for: nickname) {
                    // The nickname is chosen; from here the password answers have timers of their own, which the
                    // throttle's waits do not eat into.
                    timeout.cancel()
                    guard try await self.checkPassword(for: account, from: &lines, flood: &flood) else { return nil }
                    try? await self.hub.persistence?.store.recordLogin(nickname: account.nickname)
                    if await self.hub.isTaken(nickname) {
                        await self.hub.takeOver(nickname.name)
                    }
                    catchUpFrom = account.lastSeenMessageID
                }
                let id = try await self.hub.join(
                    nickname: nickname,
                    outbox: self.outbox,
                    address: self.accepted.address,
                    peerKey: self.accepted.peer.key,
                    isRegistered: catchUpFrom != nil
                )
                return (id, catchUpFrom)
            } catch let error as Nickname.ValidationError {
                problem = "Invalid nickname \"\(Sanitizer.clean(candidate))\": \(error)."
            } catch let error as CommandError {
                problem = error.description
            }
            failures += 1
            if failures >= self.configuration.maxNicknameAttempts {
                self.outbox.send(.error("\(problem) Too many failed attempts; goodbye."))
                await self.outbox.flushAndClose()
                return nil
            }
            self.outbox.send(.error(problem))
            self.outbox.send(prompt)
        }
        return nil
    }

    /// The account behind `nickname`, when the server keeps accounts and it is registered.
    private func registeredAccount(for nickname: Nickname) async throws -> Account? {
        guard let store = self.hub.persistence?.store else { return nil }
        do {
            return try await store.account(for: nickname.name)
        } catch {
            throw CommandError.failed("Accounts cannot be checked right now (\(error)); try again later.")
        }
    }

    /// Asks for the password of a registered nickname, up to three times, slowed down after failures. False (and
    /// the connection closed) when it never comes right.
    private func checkPassword(
        for account: Account,
        from lines: inout NIOAsyncChannelInboundStream<InboundLine>.AsyncIterator,
        flood: inout FloodControl
    ) async throws -> Bool {
        guard let login = self.hub.persistence?.login else { return false }
        if account.isBanned {
            self.outbox.send(.error("The nickname \(account.nickname) is banned from this server."))
            await self.outbox.flushAndClose()
            return false
        }
        let prompt = ChatEvent(
            kind: .prompt,
            text: "The nickname \(account.nickname) is registered. Password:",
            field: "password"
        )
        var wrongAnswers = 0
        var answersNotChecked = 0
        let isGone: @Sendable () -> Bool = { [outbox = self.outbox] in outbox.isGone }
        while true {
            self.outbox.send(prompt)
            // Each answer has its own timer, stopped while the throttle makes us (not the client) wait.
            let timeout = self.scheduleTimeout(
                after: self.configuration.passwordTimeout,
                saying: "No password given within \(self.configuration.passwordTimeout.nanoseconds / 1_000_000_000) seconds"
            )
            let inbound = try await lines.next()
            timeout.cancel()
            guard let inbound, try await self.throttle(&flood) else { return false }
            var password = ""
            if case .line(let bytes) = inbound {
                password = String(decoding: bytes.readableBytesView, as: UTF8.self)
            }
            // Brute-force protection (LoginThrottle): the check waits longer after each recent failure from this
            // address, or for this nickname from addresses it has never logged in from; one check at a time.
            switch await login.check(
                password,
                against: account.passwordHash,
                nickname: account.nickname,
                address: self.accepted.peer.key,
                isGone: isGone
            ) {
            case .right:
                // A login whose connection has gone meanwhile is never completed: nobody would be there, and the
                // join notice would tell a guesser that it hit.
                return !isGone()
            case .gone:
                return false
            case .tryAgain(let reason):
                answersNotChecked += 1
                if answersNotChecked >= Self.maximumUncheckedPasswords {
                    self.outbox.send(.error("\(reason) Too many tries; goodbye."))
                    await self.outbox.flushAndClose()
                    return false
                }
                self.outbox.send(.error(reason))
            case .wrong:
                wrongAnswers += 1
                self.logger.notice(
                    "wrong password",
                    metadata: ["nickname": "\(account.nickname)", "peer": "\(self.accepted.address)"]
                )
                if wrongAnswers >= self.configuration.maxPasswordAttempts {
                    self.outbox.send(.error("Wrong password \(wrongAnswers) times; goodbye."))
                    await self.outbox.flushAndClose()
                    return false
                }
                self.outbox.send(.error("Wrong password."))
            }
        }
    }

    /// Only `/mode` and `/quit` make sense before joining. Returns true when the client quit.
    private func handleCommandBeforeJoining(_ line: String) async throws -> Bool {
        let invocation = CommandInvocation(parsing: line)
        switch invocation?.name {
        case "mode":
            guard let format = WireFormat(rawValue: invocation!.arguments.lowercased()) else {
                self.outbox.send(.error("Usage: /mode plain|json"))
                return false
            }
            self.outbox.format = format
            self.outbox.send(ChatEvent(kind: .mode, text: format.rawValue))
        case "quit", "exit", "bye":
            self.outbox.send(.notice("Goodbye!"))
            await self.outbox.flushAndClose()
            return true
        default:
            self.outbox.send(.error("Choose a nickname first; commands work once you have joined."))
        }
        return false
    }

    /// Closes the connection if no nickname is accepted in time. Sending bytes does not reset the clock.
    private func scheduleNicknameTimeout() -> Scheduled<Void> {
        let seconds = self.configuration.nicknameTimeout.nanoseconds / 1_000_000_000
        return self.scheduleTimeout(
            after: self.configuration.nicknameTimeout,
            saying: "No nickname chosen within \(seconds) seconds"
        )
    }

    /// Closes the connection after `delay` unless cancelled, telling the client `reason` first.
    private func scheduleTimeout(after delay: TimeAmount, saying reason: String) -> Scheduled<Void> {
        let outbox = self.outbox
        let channel = self.accepted.channel.channel
        return channel.eventLoop.scheduleTask(in: delay) {
            outbox.send(.error("\(reason); closing the connection."))
            // Queued behind the outbox's drain, so the error is written before the close.
            channel.eventLoop.execute { channel.close(promise: nil) }
        }
    }

    // MARK: Chatting

    private func chat(
        as id: SessionID,
        from lines: inout NIOAsyncChannelInboundStream<InboundLine>.AsyncIterator,
        flood: inout FloodControl
    ) async throws -> Ending {
        let connection = ClientConnection(outbox: self.outbox, peer: self.accepted.peer)
        let context = CommandContext(
            hub: self.hub,
            session: id,
            registry: self.registry,
            connection: connection,
            services: self.services
        )
        // Plain messages are posted without waiting for their commit (the hub batches them); anything else waits
        // until this client's messages are out, so everything it causes happens in the order it typed it.
        var unsettledLines = 0
        while let inbound = try await lines.next() {
            // A client that has gone does not act through its backlog (see `throttle`).
            guard try await self.throttle(&flood) else { break }
            // Once we are closing this connection (shutdown, overflow), a backlog of delayed lines is not worth
            // acting on. (A client's own close is different: its last lines still count.)
            guard !self.outbox.isClosed else { break }
            // Marked rather than cleaned, so a command can refuse a name that held control characters.
            let parsed = self.decode(inbound).map { ParsedLine(Sanitizer.markingRemovals($0)) }
            let posted: RoomLineTicket? =
                switch parsed {
                case .message(let text): await self.post(text, as: id)
                case .literal(let text): await self.hub.post(text, kind: .message, from: id)
                default: nil
                }
            if let ticket = posted {
                unsettledLines += 1
                if unsettledLines >= Self.maximumUnsettledLines {
                    await self.hub.waitForDelivery(of: ticket)
                    unsettledLines = 0
                }
                continue
            }
            if unsettledLines > 0 {
                await self.hub.waitForOwnLines(id)
                unsettledLines = 0
            }
            switch parsed {
            case nil:
                self.outbox.send(self.lineTooLong)
            case .message(let text):
                await self.sayWithEmbeddedCommands(text, in: context)
            case .literal:
                break  // Nothing to post (the hub ignores an empty line).
            case .missingCommandName:
                self.outbox.send(.error("A command needs a name after the /; type /help for the list (// sends a /)."))
            case .command(let invocation):
                await self.dispatch(invocation, in: context)
            }
            if let reason = connection.quitRequest {
                self.outbox.send(.notice("Goodbye!"))
                await self.outbox.flushAndClose()
                return .quit(reason)
            }
        }
        return .closedByClient
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
            self.outbox.send(.notice("Emoji: type shortcodes like :tada: in any message; /emoji [word] lists them."))
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
            self.outbox.send(.error("Unknown command /\(invocation.name); type /help for the list."))
            return
        }
        do {
            try await command.run(invocation, in: context)
        } catch let error as CommandError {
            self.outbox.send(.error(error.description))
        } catch {
            self.logger.error("command failed", metadata: ["command": "\(invocation.name)", "error": "\(error)"])
            self.outbox.send(.error("/\(invocation.name) failed unexpectedly."))
        }
    }

    /// Waits as long as flood control asks, telling the client now and then why. False, without waiting, once the
    /// peer has gone and the line would have to wait: what a disconnected client left queued beyond its flood
    /// allowance is thrown away, so it cannot go on acting (posting, holding its nickname and its slot) for as long
    /// as its backlog would last.
    private func throttle(_ flood: inout FloodControl) async throws -> Bool {
        let (delay, warn) = flood.admit()
        guard delay > .zero else { return true }
        guard !self.outbox.isPeerGone else { return false }
        if warn {
            self.outbox.send(
                .notice(
                    "Slow down: you are sending faster than \(flood.rateDescription) lines per second; "
                        + "your lines are being delayed."
                )
            )
        }
        try await Task.sleep(for: delay)
        return !self.outbox.isPeerGone
    }
}
