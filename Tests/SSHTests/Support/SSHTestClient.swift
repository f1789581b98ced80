import ChatTesting
import Crypto
import NIOCore
import NIOPosix
import NIOSSH
import Synchronization

/// An SSH client for the tests, on swift-nio-ssh: connects to the door on 127.0.0.1, offers the given credentials in
/// order (as OpenSSH offers its keys, then a password), and opens channels on the connection.
final class SSHTestClient: Sendable {
    /// One way to authenticate, offered in turn until the server accepts one.
    enum Credential: Sendable {
        case key(Curve25519.Signing.PrivateKey)
        case password(String)
    }

    /// The TCP connection.
    let channel: any Channel
    /// The host key the server presented.
    let hostKey: NIOSSHPublicKey

    private init(channel: any Channel, hostKey: NIOSSHPublicKey) {
        self.channel = channel
        self.hostKey = hostKey
    }

    /// Connects as `user`; throws ``ExpectationFailure`` when the server accepts none of `credentials`.
    static func connect(port: Int, user: String, offering credentials: [Credential]) async throws -> SSHTestClient {
        let hostKeys = TimedQueue<NIOSSHPublicKey>()
        let outcome = TimedQueue<Bool>()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let configuration = SSHClientConfiguration(
                        userAuthDelegate: CredentialOffers(user: user, credentials: credentials),
                        serverAuthDelegate: AcceptAnyHostKey(seen: hostKeys)
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSHHandler(role: .client(configuration), allocator: channel.allocator) { _, _ in
                            channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                        }
                    )
                    try channel.pipeline.syncOperations.addHandler(AuthenticationOutcome(outcome))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        guard case .element(true) = await outcome.next(timeout: TestTime.expected) else {
            try? await channel.close()
            throw ExpectationFailure("ssh login as \(user) was refused")
        }
        guard case .element(let hostKey) = await hostKeys.next(timeout: TestTime.expected) else {
            throw ExpectationFailure("no host key seen")
        }
        return SSHTestClient(channel: channel, hostKey: hostKey)
    }

    /// Opens a channel of `type` (a session by default); throws when the server refuses it.
    func openChannel(_ type: SSHChannelType = .session) async throws -> SSHTestSession {
        let events = TimedQueue<SSHTestSession.Event>()
        let channel = self.channel
        let opened = channel.eventLoop.makePromise(of: (any Channel).self)
        channel.eventLoop.execute {
            do {
                let ssh = try channel.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
                ssh.createChannel(opened, channelType: type) { child, _ in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(SessionEvents(events))
                    }
                }
            } catch {
                opened.fail(error)
            }
        }
        return SSHTestSession(channel: try await opened.futureResult.get(), events: events)
    }

    func close() async {
        try? await self.channel.close()
    }
}

/// One channel of an ``SSHTestClient``: requests, lines in and out, its end.
final class SSHTestSession: Sendable {
    enum Event: Sendable {
        case output([UInt8])
        case stderr(String)
        case success
        case failure
        case exitStatus(Int)
        case closed
    }

    let channel: any Channel
    private let events: TimedQueue<Event>
    private let unread = Mutex<[Event]>([])
    /// Output not yet read as lines.
    private let partial = Mutex<[UInt8]>([])
    /// All the output so far, for ``screen(columns:rows:until:)``.
    private let transcript = Mutex<[UInt8]>([])

    init(channel: any Channel, events: TimedQueue<Event>) {
        self.channel = channel
        self.events = events
    }

    /// Sends a channel request with want-reply and says whether the server granted it.
    func request(_ request: any Sendable) async throws -> Bool {
        try await self.channel.triggerUserOutboundEvent(request).get()
        var skipped: [Event] = []
        defer { self.putBack(skipped) }
        while true {
            switch try await self.nextEvent() {
            case .success: return true
            case .failure: return false
            case .closed: throw ExpectationFailure("the channel closed before its reply")
            case let other: skipped.append(other)
            }
        }
    }

    /// Events a wait passed over, read again before newer ones.
    private func putBack(_ events: [Event]) {
        guard !events.isEmpty else { return }
        self.unread.withLock { $0.insert(contentsOf: events, at: 0) }
    }

    /// Asks for a shell without a terminal, as `ssh -T` does; true when granted.
    func startShell() async throws -> Bool {
        try await self.request(SSHChannelRequestEvent.ShellRequest(wantReply: true))
    }

    func send(_ line: String) async throws {
        let bytes = self.channel.allocator.buffer(string: line + "\n")
        try await self.channel.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(bytes))).get()
    }

    /// Ends the input (SSH's EOF), as `ssh` does when its stdin ends.
    func sendEOF() async throws {
        try await self.channel.close(mode: .output).get()
    }

    /// The next whole line of output; throws on a timeout or the end of the channel.
    func nextLine() async throws -> String {
        var skipped: [Event] = []
        defer { self.putBack(skipped) }
        while true {
            if let line = self.partial.withLock({ bytes -> String? in
                guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                let line = String(decoding: bytes[..<end], as: UTF8.self)
                bytes.removeSubrange(...end)
                return line
            }) {
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            switch try await self.nextEvent() {
            case .output(let bytes): self.take(bytes)
            case .closed:
                skipped.append(.closed)
                throw ExpectationFailure("the channel closed")
            case let other: skipped.append(other)
            }
        }
    }

    /// Output read: it waits to be read as lines, and joins the transcript.
    private func take(_ bytes: [UInt8]) {
        self.partial.withLock { $0 += bytes }
        self.transcript.withLock { $0 += bytes }
    }

    /// Asks for a terminal `columns` wide, as `ssh` does when run from one, then a shell; true when both were
    /// granted.
    func startTerminal(columns: Int, term: String = "xterm-256color") async throws -> Bool {
        let terminal = SSHChannelRequestEvent.PseudoTerminalRequest(
            wantReply: true,
            term: term,
            terminalCharacterWidth: columns,
            terminalRowHeight: 24,
            terminalPixelWidth: 0,
            terminalPixelHeight: 0,
            terminalModes: SSHTerminalModes([:])
        )
        guard try await self.request(terminal) else { return false }
        return try await self.startShell()
    }

    /// Sends keys as a terminal would: `text`'s bytes as they are (`\r` for Enter, `\u{03}` for Ctrl-C).
    func press(_ text: String) async throws {
        let bytes = self.channel.allocator.buffer(string: text)
        try await self.channel.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(bytes))).get()
    }

    /// Tells the server the window is now `columns` wide.
    func resize(columns: Int) async throws {
        let change = SSHChannelRequestEvent.WindowChangeRequest(
            terminalCharacterWidth: columns,
            terminalRowHeight: 24,
            terminalPixelWidth: 0,
            terminalPixelHeight: 0
        )
        try await self.channel.triggerUserOutboundEvent(change).get()
    }

    /// Every byte of output so far.
    var output: [UInt8] { self.transcript.withLock { $0 } }

    /// Reads output until a terminal of this size, shown all of it, satisfies `condition`; returns that screen.
    @discardableResult
    func screen(
        columns: Int,
        rows: Int = 24,
        until condition: (VirtualScreen) -> Bool
    ) async throws -> VirtualScreen {
        var skipped: [Event] = []
        defer { self.putBack(skipped) }
        while true {
            let screen = VirtualScreen(rows: rows, columns: columns, showing: self.output)
            if condition(screen) { return screen }
            let event: Event
            do {
                event = try await self.nextEvent()
            } catch {
                throw ExpectationFailure("the screen never got there; it shows:\n\(screen)")
            }
            switch event {
            case .output(let bytes): self.take(bytes)
            case .closed:
                skipped.append(.closed)
                throw ExpectationFailure("the channel closed; the screen shows:\n\(screen)")
            case let other: skipped.append(other)
            }
        }
    }

    /// Reads lines until one satisfies `predicate`; returns them all.
    @discardableResult
    func lines(until predicate: (String) -> Bool) async throws -> [String] {
        var seen: [String] = []
        while true {
            let line = try await self.nextLine()
            seen.append(line)
            if predicate(line) { return seen }
        }
    }

    /// Waits for the channel's end; returns its exit status (nil when none came) and what stderr said.
    func waitForEnd() async throws -> (status: Int?, stderr: String) {
        var status: Int?
        var stderr = ""
        while true {
            switch try await self.nextEvent() {
            case .exitStatus(let code): status = code
            case .stderr(let text): stderr += text
            case .closed: return (status, stderr)
            default: continue
            }
        }
    }

    private func nextEvent() async throws -> Event {
        if let event = self.unread.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return event }
        switch await self.events.next(timeout: TestTime.expected) {
        case .element(let event): return event
        case .finished: return .closed
        case .timedOut: throw ExpectationFailure("nothing arrived on the ssh channel in time")
        }
    }
}

/// Offers each credential in turn; gives up when none is left.
private final class CredentialOffers: NIOSSHClientUserAuthenticationDelegate {
    private let user: String
    private var credentials: [SSHTestClient.Credential]

    init(user: String, credentials: [SSHTestClient.Credential]) {
        self.user = user
        self.credentials = credentials
    }

    func nextAuthenticationType(
        availableMethods: NIOSSHAvailableUserAuthenticationMethods,
        nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
    ) {
        guard !self.credentials.isEmpty else {
            nextChallengePromise.fail(ExpectationFailure("no credential left"))
            return
        }
        let offer: NIOSSHUserAuthenticationOffer.Offer
        switch self.credentials.removeFirst() {
        case .key(let key): offer = .privateKey(.init(privateKey: NIOSSHPrivateKey(ed25519Key: key)))
        case .password(let password): offer = .password(.init(password: password))
        }
        nextChallengePromise.succeed(.init(username: self.user, serviceName: "", offer: offer))
    }
}

/// Trusts any host key and remembers it, for the fingerprint checks.
private final class AcceptAnyHostKey: NIOSSHClientServerAuthenticationDelegate {
    private let seen: TimedQueue<NIOSSHPublicKey>

    init(seen: TimedQueue<NIOSSHPublicKey>) {
        self.seen = seen
    }

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        self.seen.push(hostKey)
        validationCompletePromise.succeed(())
    }
}

/// Says whether the login succeeded: true on NIOSSH's success event, false when the connection fails first.
private final class AuthenticationOutcome: ChannelInboundHandler {
    typealias InboundIn = Never
    private let outcome: TimedQueue<Bool>

    init(_ outcome: TimedQueue<Bool>) {
        self.outcome = outcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is UserAuthSuccessEvent { self.outcome.push(true) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.outcome.push(false)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.outcome.push(false)
        context.fireChannelInactive()
    }
}

/// Turns a channel's data, replies and end into ``SSHTestSession/Event``s.
private final class SessionEvents: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData
    private let events: TimedQueue<SSHTestSession.Event>

    init(_ events: TimedQueue<SSHTestSession.Event>) {
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = self.unwrapInboundIn(data)
        guard case .byteBuffer(let bytes) = message.data else { return }
        self.events.push(
            message.type == .stdErr ? .stderr(String(buffer: bytes)) : .output(Array(bytes.readableBytesView))
        )
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelSuccessEvent: self.events.push(.success)
        case is ChannelFailureEvent: self.events.push(.failure)
        case let status as SSHChannelRequestEvent.ExitStatus: self.events.push(.exitStatus(status.exitStatus))
        default: context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.events.push(.closed)
        self.events.finish()
    }
}
