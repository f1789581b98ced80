import ChatCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP test client that speaks the line protocol the way `nc` does: bytes out, newline-split lines in.
///
/// A background task reads the socket and splits it on `\n` into a ``TimedQueue``, so every wait has a deadline.
/// Clients are made by ``TestServer/connect(_:readsInbound:receiveBufferSize:)`` and closed when the test ends.
///
/// Every received line is also checked against what the server must never send anyone: invalid UTF-8, or a control
/// character other than TAB (the ``violations``; the harness fails any test whose clients saw one).
public final class LineClient: Sendable {
    /// The deadline for a line the test expects when neither the test nor the client says otherwise: generous,
    /// because a line that comes ends the wait at once (see ``TestTime``).
    public static let standardTimeout = TestTime.expected

    /// The name the client goes by in failure messages.
    public let name: String
    /// The deadline for a line the test expects when a call gives no `timeout`; set by
    /// ``connect(port:name:readsInbound:receiveBufferSize:defaultTimeout:)``.
    public let defaultTimeout: Duration
    private let channel: any Channel
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let lines: TimedQueue<String>
    private let task: Task<Void, Never>
    private let violationLog: LockedValue<[String]>

    private init(
        name: String,
        defaultTimeout: Duration,
        channel: any Channel,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        lines: TimedQueue<String>,
        task: Task<Void, Never>,
        violationLog: LockedValue<[String]>
    ) {
        self.name = name
        self.defaultTimeout = defaultTimeout
        self.channel = channel
        self.outbound = outbound
        self.lines = lines
        self.task = task
        self.violationLog = violationLog
    }

    /// Connects to `127.0.0.1:port`.
    /// - Parameters:
    ///   - readsInbound: false makes a client that never reads (auto-read off, nothing consumed), so the server's
    ///     bytes pile up in the kernel and then in the server.
    ///   - receiveBufferSize: a small `SO_RCVBUF` makes a non-reading client stall sooner.
    ///   - defaultTimeout: how long a wait for a line lasts when the call gives no `timeout`.
    ///   - sourceAddress: the loopback address to connect from (`127.0.0.2`, say), so one test can play clients on
    ///     different addresses; the system's choice (127.0.0.1) when nil.
    ///   - pipeline: adds handlers in front of the client's own (a TLS client handler, say), on the event loop.
    public static func connect(
        port: Int,
        name: String,
        readsInbound: Bool = true,
        receiveBufferSize: Int? = nil,
        defaultTimeout: Duration = LineClient.standardTimeout,
        from sourceAddress: String? = nil,
        pipeline: (@Sendable (any Channel) throws -> Void)? = nil
    ) async throws -> LineClient {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(TestTime.connect))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.autoRead, value: readsInbound)
        if let receiveBufferSize {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: receiveBufferSize)
        }
        if let sourceAddress {
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: sourceAddress, port: 0))
        }
        let asyncChannel = try await bootstrap.connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try pipeline?(channel)
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        let lines = TimedQueue<String>()
        let violationLog = LockedValue<[String]>([])
        let receive = { (line: LineSplitter.Line) in
            if let violation = line.violation {
                violationLog.withLock { $0.append("\(name) received \(violation): \(String(reflecting: line.text))") }
            }
            lines.push(line.text)
        }
        let writers = TimedQueue<NIOAsyncChannelOutboundWriter<ByteBuffer>>()
        let task = Task {
            do {
                try await asyncChannel.executeThenClose { inbound, outbound in
                    writers.push(outbound)
                    if readsInbound {
                        var splitter = LineSplitter()
                        for try await buffer in inbound {
                            for line in splitter.append(buffer) {
                                receive(line)
                            }
                        }
                        if let rest = splitter.remainder() {
                            receive(rest)
                        }
                    } else {
                        // Hold the connection open without ever reading, until the test closes it.
                        try await Task.sleep(for: .seconds(3600))
                    }
                }
            } catch {
                // A reset or our own close: either way the stream of lines is over.
            }
            lines.finish()
        }
        guard case .element(let outbound) = await writers.next(timeout: TestTime.connect) else {
            task.cancel()
            throw ExpectationFailure("\(name): the connection never became usable")
        }
        return LineClient(
            name: name,
            defaultTimeout: defaultTimeout,
            channel: asyncChannel.channel,
            outbound: outbound,
            lines: lines,
            task: task,
            violationLog: violationLog
        )
    }

    // MARK: Sending

    /// Sends `line` followed by `\n`.
    public func send(_ line: String) async throws {
        try await self.sendRaw(Array(line.utf8) + [UInt8(ascii: "\n")])
    }

    /// Sends `bytes` exactly as given.
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await self.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends the UTF-8 of `text` exactly as given (no newline added).
    public func sendRaw(_ text: String) async throws {
        try await self.sendRaw(Array(text.utf8))
    }

    // MARK: Receiving

    /// The next line, or nil once the server has closed the connection.
    /// - Throws: ``ExpectationFailure`` when nothing arrives within `timeout`.
    public func nextLineOrEOF(timeout: Duration? = nil) async throws -> String? {
        let timeout = timeout ?? self.defaultTimeout
        switch await self.lines.next(timeout: timeout) {
        case .element(let line):
            return line
        case .finished:
            return nil
        case .timedOut:
            throw ExpectationFailure("\(self.name): no line within \(timeout)")
        }
    }

    /// The next line.
    /// - Throws: ``ExpectationFailure`` on timeout or when the connection closes first.
    public func nextLine(timeout: Duration? = nil) async throws -> String {
        guard let line = try await self.nextLineOrEOF(timeout: timeout) else {
            throw ExpectationFailure("\(self.name): connection closed while a line was expected")
        }
        return line
    }

    /// Reads lines until one contains `text`, skipping at most `maxSkipped` others, each wait at most `timeout`.
    /// - Returns: the matching line.
    @discardableResult
    public func expectLine(
        containing text: String,
        timeout: Duration? = nil,
        maxSkipped: Int = 20
    ) async throws -> String {
        try await self.expectLine(
            where: { $0.contains(text) },
            described: "containing \"\(text)\"",
            timeout: timeout,
            maxSkipped: maxSkipped
        )
    }

    /// Reads lines until one satisfies `predicate`, skipping at most `maxSkipped` others.
    @discardableResult
    public func expectLine(
        where predicate: (String) -> Bool,
        described description: String,
        timeout: Duration? = nil,
        maxSkipped: Int = 20
    ) async throws -> String {
        let timeout = timeout ?? self.defaultTimeout
        var skipped: [String] = []
        let deadline = ContinuousClock.now + timeout
        while skipped.count <= maxSkipped {
            let remaining = max(ContinuousClock.now.duration(to: deadline), .milliseconds(1))
            switch await self.lines.next(timeout: remaining) {
            case .element(let line):
                if predicate(line) { return line }
                skipped.append(line)
            case .finished:
                throw ExpectationFailure(
                    "\(self.name): closed before a line \(description); got \(Self.summarize(skipped))"
                )
            case .timedOut:
                throw ExpectationFailure(
                    "\(self.name): no line \(description) within \(timeout); got \(Self.summarize(skipped))"
                )
            }
        }
        throw ExpectationFailure(
            "\(self.name): no line \(description) among \(skipped.count) lines: \(Self.summarize(skipped))"
        )
    }

    /// Waits `duration` and fails if any line arrives meanwhile (or is already waiting to be read).
    public func expectNoLine(within duration: Duration) async throws {
        let deadline = ContinuousClock.now + duration
        var unexpected: [String] = []
        repeat {
            let remaining = max(ContinuousClock.now.duration(to: deadline), .zero)
            guard case .element(let line) = await self.lines.next(timeout: remaining) else { break }
            unexpected.append(line)
        } while ContinuousClock.now < deadline
        if !unexpected.isEmpty {
            throw ExpectationFailure("\(self.name): expected silence, got \(Self.summarize(unexpected))")
        }
    }

    /// Reads lines until none arrives for `quiet` (at most `maxLines`), for answers of unknown length.
    public func drain(quietFor quiet: Duration = TestTime.quietSpell, maxLines: Int = 200) async -> [String] {
        var received: [String] = []
        while received.count < maxLines, case .element(let line) = await self.lines.next(timeout: quiet) {
            received.append(line)
        }
        return received
    }

    /// Reads until the server closes the connection, skipping at most `maxSkipped` lines.
    /// - Returns: the lines that arrived before the close.
    @discardableResult
    public func expectClosed(timeout: Duration? = nil, maxSkipped: Int = 20) async throws -> [String] {
        let timeout = timeout ?? self.defaultTimeout
        var skipped: [String] = []
        let deadline = ContinuousClock.now + timeout
        while skipped.count <= maxSkipped {
            let remaining = max(ContinuousClock.now.duration(to: deadline), .milliseconds(1))
            switch await self.lines.next(timeout: remaining) {
            case .element(let line):
                skipped.append(line)
            case .finished:
                return skipped
            case .timedOut:
                throw ExpectationFailure(
                    "\(self.name): still open after \(timeout); got \(Self.summarize(skipped))"
                )
            }
        }
        throw ExpectationFailure("\(self.name): still open after \(skipped.count) lines: \(Self.summarize(skipped))")
    }

    /// Lines that broke what the server promises every client: valid UTF-8, no control characters but TAB.
    public var violations: [String] {
        self.violationLog.value
    }

    /// True once the connection is over and every line that arrived has been read.
    public var isClosed: Bool {
        self.lines.isFinished && !self.channel.isActive
    }

    // MARK: The nickname dialogue

    /// Reads the greeting, sends `nickname` and waits for the welcome.
    @discardableResult
    public func join(as nickname: String) async throws -> String {
        try await self.expectLine(containing: "Choose a nickname")
        try await self.send(nickname)
        return try await self.expectLine(containing: "Welcome to slashchat, \(nickname)!")
    }

    // MARK: Closing

    /// Closes the socket with a FIN, as a client that just goes away does.
    public func close() async {
        try? await self.channel.close()
        self.task.cancel()
        _ = await self.task.value
    }

    /// Closes the socket with an RST (`SO_LINGER` 0), as a crashed or killed peer often does.
    public func reset() async throws {
        guard let provider = self.channel as? any SocketOptionProvider else {
            throw ExpectationFailure("\(self.name): the channel offers no socket options")
        }
        try await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        await self.close()
    }

    private static func summarize(_ lines: [String]) -> String {
        guard !lines.isEmpty else { return "nothing" }
        let shown = lines.suffix(8).map { line in
            line.count > 120 ? "\"\(line.prefix(120))…\" (\(line.utf8.count) bytes)" : "\"\(line)\""
        }
        let omitted = lines.count > 8 ? "… \(lines.count - 8) earlier, then " : ""
        return omitted + shown.joined(separator: ", ")
    }
}
