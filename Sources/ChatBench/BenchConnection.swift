import ChatProtocol
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A connected benchmark client and the way to reach its handler on its event loop.
struct BenchConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<BenchConnectionHandler>
    let joined: EventLoopFuture<Void>

    /// Connects and starts joining as `nickname`.
    /// - Parameters:
    ///   - keepsReceipts: a soak client: inspect every line and keep every token (see ``ReceiptLog``).
    ///   - alternateMessageSize: a second token size to accept (a soak's bulk messages).
    ///   - receiveBufferSize: `SO_RCVBUF`, set before connecting; a soak's slow readers keep it small.
    ///   - tls: speak TLS with this context (``BenchTarget/makeTLSContext()``).
    static func connect(
        host: String,
        port: Int,
        nickname: String,
        messageSize: Int,
        messagesPerSender: Int,
        run: String,
        group: any EventLoopGroup,
        dialect: BenchDialect = .slashchat,
        keepsReceipts: Bool = false,
        alternateMessageSize: Int? = nil,
        receiveBufferSize: Int? = nil,
        tls: NIOSSLContext? = nil
    ) async throws -> BenchConnection {
        let loop = group.next()
        let joined = loop.makePromise(of: Void.self)
        // Handed out by the initializer: looked up in the pipeline afterwards, it is gone if the server has already
        // closed the connection (a port that is no WebSocket), and that error would hide the reason.
        let made = loop.makePromise(of: NIOLoopBound<BenchConnectionHandler>.self)
        let channel: any Channel
        do {
            var bootstrap = ClientBootstrap(group: loop)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
            if let receiveBufferSize {
                let size = SocketOptionValue(receiveBufferSize)
                bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: size)
            }
            channel =
                try await bootstrap
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: nil)
                            )
                        }
                        if dialect == .web {
                            try channel.pipeline.syncOperations.addHandler(
                                BenchWebSocketCodec(host: host, port: port, joined: joined)
                            )
                        }
                        let handler = BenchConnectionHandler(
                            nickname: nickname,
                            messageSize: messageSize,
                            messagesPerSender: messagesPerSender,
                            run: run,
                            joined: joined,
                            dialect: dialect,
                            keepsReceipts: keepsReceipts,
                            alternateMessageSize: alternateMessageSize
                        )
                        try channel.pipeline.syncOperations.addHandler(handler)
                        made.succeed(NIOLoopBound(handler, eventLoop: channel.eventLoop))
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            // No channel, so no channelInactive to fail them: the promises must not be left dangling.
            joined.fail(error)
            made.fail(error)
            throw error
        }
        let handler = try await made.futureResult.get()
        return BenchConnection(channel: channel, handler: handler, joined: joined.futureResult)
    }

    func startSending(count: Int, senderIndex: Int, rate: Double, offset: TimeAmount = .zero) -> EventLoopFuture<Void> {
        let handler = self.handler
        return self.channel.eventLoop.flatSubmit {
            let done = self.channel.eventLoop.makePromise(of: Void.self)
            handler.value.startSending(count: count, senderIndex: senderIndex, rate: rate, offset: offset, done: done)
            return done.futureResult
        }
    }

    func arrivals() async throws -> Int {
        let handler = self.handler
        return try await self.channel.eventLoop.submit { handler.value.arrivals() }.get()
    }

    func snapshot() async throws -> BenchConnectionHandler.Snapshot {
        let handler = self.handler
        return try await self.channel.eventLoop.submit { handler.value.snapshot() }.get()
    }

    // MARK: Scripted (soak) clients

    /// Writes `bytes` as they are (a line needs its own `\n`).
    func send(_ bytes: ByteBuffer) async throws {
        try await self.channel.writeAndFlush(bytes)
    }

    /// Writes `text` and a newline.
    func send(line text: String) async throws {
        try await self.send(ByteBuffer(string: text + "\n"))
    }

    /// Sends `line` and waits (at most `timeout`) for a line containing `reply`; the wait starts before the send,
    /// so a quick answer is not missed.
    func request(_ line: String, reply: String, timeout: Duration) async throws {
        let handler = self.handler
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        let answered = try await self.channel.eventLoop.submit {
            handler.value.expect(reply, timeout: .nanoseconds(nanoseconds))
        }.get()
        try await self.send(line: line)
        try await answered.get()
    }

    /// Stops reading: the kernel's receive buffer fills and the server's output to this client piles up.
    func stopReading() async throws {
        try await self.channel.setOption(.autoRead, value: false).get()
    }

    /// Ends the connection with a TCP reset (`SO_LINGER` 0), as a crashed client or a pulled cable would.
    func reset() async {
        if let options = self.channel as? any SocketOptionProvider {
            try? await options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await self.channel.close()
    }

    /// A clean end of input (FIN) while still reading; resolves when the server has closed its side too, or after
    /// `timeout`, when the connection is closed anyway.
    func finishSending(timeout: Duration) async {
        try? await self.channel.close(mode: .output)
        try? await withThrowingTaskGroup(of: Void.self) { race in
            race.addTask { try await self.channel.closeFuture.get() }
            race.addTask { try await Task.sleep(for: timeout) }
            _ = try await race.next()
            race.cancelAll()
        }
        try? await self.channel.close()
    }
}

/// Opens many connections with bounded parallelism; joins them all; says how long it took.
enum ConnectionPool {
    /// Connections opened at once.
    static let defaultParallelism = 128

    /// - Parameters:
    ///   - target: the server; client `i` connects to `target.port(forClient: i)`.
    ///   - joinsEachBatchFirst: wait until a batch has joined before opening the next (with parallelism 1: one client
    ///     at a time).
    static func open(
        count: Int,
        target: BenchTarget,
        nicknamePrefix: String,
        messageSize: Int,
        messagesPerSender: Int = 0,
        run: String = "",
        group: any EventLoopGroup,
        parallelism: Int = ConnectionPool.defaultParallelism,
        joinsEachBatchFirst: Bool = false,
        joinTimeout: Duration
    ) async throws -> [BenchConnection] {
        let deadline = ContinuousClock.now + joinTimeout
        let tls = try target.makeTLSContext()
        var connections: [BenchConnection] = []
        connections.reserveCapacity(count)
        var next = 0
        while next < count {
            let batch = next..<min(count, next + parallelism)
            let opened = try await withThrowingTaskGroup(of: (Int, BenchConnection).self) { tasks in
                for index in batch {
                    tasks.addTask {
                        let connection = try await BenchConnection.connect(
                            host: target.host,
                            port: target.port(forClient: index),
                            // The trailing letter keeps `n1z` from being found inside `n10z`.
                            nickname: "\(nicknamePrefix)\(index)z",
                            messageSize: messageSize,
                            messagesPerSender: messagesPerSender,
                            run: run,
                            group: group,
                            dialect: target.dialect,
                            tls: tls
                        )
                        return (index, connection)
                    }
                }
                var results: [(Int, BenchConnection)] = []
                for try await result in tasks { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
            if joinsEachBatchFirst {
                try await Self.waitUntilJoined(opened, deadline: deadline, count: count)
            }
            connections += opened
            next = batch.upperBound
        }
        try await Self.waitUntilJoined(connections, deadline: deadline, count: count)
        return connections
    }

    /// Waits for every welcome, within the time limit.
    private static func waitUntilJoined(
        _ connections: [BenchConnection],
        deadline: ContinuousClock.Instant,
        count: Int
    ) async throws {
        for connection in connections {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw BenchError.timedOut("joining \(count) clients") }
            try await withThrowingTaskGroup(of: Void.self) { race in
                race.addTask { try await connection.joined.get() }
                race.addTask {
                    try await Task.sleep(for: remaining)
                    throw BenchError.timedOut("joining \(count) clients")
                }
                try await race.next()
                race.cancelAll()
            }
        }
    }
}

/// Why a benchmark run failed.
public enum BenchError: Error, CustomStringConvertible {
    case timedOut(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .timedOut(let what): "timed out \(what)"
        case .invalid(let what): what
        }
    }
}
