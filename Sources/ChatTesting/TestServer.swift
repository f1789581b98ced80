import ChatCore
import ChatTransportTCP
import Foundation
import Logging
import NIOCore
import PasswordHashing
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// An in-process ``ChatServer`` on `127.0.0.1`, port 0, for one test.
///
/// ``withServer(_:hub:registry:services:lineTimeout:_:)`` starts it in a child task under ServiceLifecycle's test
/// trigger, learns the real port from `onListening`, runs the test, then closes every client, shuts the server down
/// gracefully and checks that `run()` returned. A client that received invalid UTF-8 or a control character fails the test. A server that does not
/// stop in time is cancelled and the test gets an issue, so nothing outlives the test.
public final class TestServer: Sendable {
    /// How `run()` ended.
    public enum RunOutcome: Sendable, Equatable {
        /// `run()` returned normally.
        case returned
        /// `run()` threw the error described.
        case threw(String)
    }

    /// How long a stopping server may take before the harness gives up on it.
    public static let shutdownTimeout = TestTime.serverStartOrStop

    /// Logs nothing unless `SLASHCHAT_TEST_LOG` is set (to a level such as `debug`).
    public static let logger: Logger = {
        let setting = ProcessInfo.processInfo.environment["SLASHCHAT_TEST_LOG"]
        guard let level = setting.flatMap({ Logger.Level(rawValue: $0) }) else {
            return Logger(label: "slashchat-test", factory: { _ in SwiftLogNoOpLogHandler() })
        }
        var logger = Logger(label: "slashchat-test", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }()

    /// The port the server really listens on.
    public let port: Int
    /// Every listener's real address: the plain one first, then the `extraListeners`.
    public let addresses: [ListeningAddress]
    /// The server under test, for a look at its hub or connection count.
    public let server: ChatServer
    /// The default deadline of every ``LineClient`` that ``connect(_:readsInbound:receiveBufferSize:)`` opens.
    public let lineTimeout: Duration
    private let trigger: GracefulShutdownTestTrigger
    private let outcomes: TimedQueue<RunOutcome>
    private let clients = Mutex<[LineClient]>([])
    private let outcome = Mutex<RunOutcome?>(nil)

    private init(
        addresses: [ListeningAddress],
        server: ChatServer,
        lineTimeout: Duration,
        trigger: GracefulShutdownTestTrigger,
        outcomes: TimedQueue<RunOutcome>
    ) {
        self.addresses = addresses
        self.port = addresses[0].port
        self.server = server
        self.lineTimeout = lineTimeout
        self.trigger = trigger
        self.outcomes = outcomes
    }

    /// Runs `body` against a fresh server started with `configuration`.
    /// - Parameters:
    ///   - hub: the hub the server runs around; one made with a ``Persistence`` gives it history and accounts.
    ///   - registry: the commands the server knows (the core ones unless a test brings its own).
    ///   - services: the process runner, tools and plugin folder those commands use.
    ///   - extraListeners: more ways in after the plain TCP one (a TLS listener, say).
    ///   - lineTimeout: how long the clients of ``connect(_:readsInbound:receiveBufferSize:)`` wait for a line when
    ///     a call gives no timeout.
    ///   - passwordRounds: the scrypt rounds of the passwords the server hashes (``PasswordHasher/testRounds``
    ///     unless the cost is what the test is about).
    public static func withServer(
        _ configuration: ServerConfiguration = .loopback(),
        hub: ChatHub = ChatHub(),
        registry: CommandRegistry = .withCoreCommands(),
        services: CommandServices = CommandServices(),
        extraListeners: [any ChatListener] = [],
        lineTimeout: Duration = LineClient.standardTimeout,
        passwordRounds: Int = PasswordHasher.testRounds,
        _ body: (TestServer) async throws -> Void
    ) async throws {
        let ports = TimedQueue<[ListeningAddress]>()
        let outcomes = TimedQueue<RunOutcome>()
        let server = ChatServer(
            configuration: configuration,
            listeners: [TCPListener(configuration)] + extraListeners,
            hub: hub,
            registry: registry,
            services: services,
            logger: Self.logger
        ) { addresses in
            ports.push(addresses)
        }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await PasswordHasher.withTestCost(rounds: passwordRounds) { try await server.run() }
                        outcomes.push(.returned)
                    } catch {
                        outcomes.push(.threw("\(error)"))
                    }
                }
                guard case .element(let addresses) = await ports.next(timeout: TestTime.serverStartOrStop) else {
                    group.cancelAll()
                    throw ExpectationFailure("the server did not start listening within \(TestTime.serverStartOrStop)")
                }
                let testServer = TestServer(
                    addresses: addresses,
                    server: server,
                    lineTimeout: lineTimeout,
                    trigger: trigger,
                    outcomes: outcomes
                )
                let failure: (any Error)?
                do {
                    try await body(testServer)
                    failure = nil
                } catch {
                    failure = error
                }
                if await !testServer.tearDown() {
                    group.cancelAll()
                }
                if let failure {
                    throw failure
                }
            }
        }
    }

    // MARK: Clients

    /// Opens a connection (from `sourceAddress`, a loopback address, when given); it is closed when the test ends.
    public func connect(
        _ name: String,
        readsInbound: Bool = true,
        receiveBufferSize: Int? = nil,
        from sourceAddress: String? = nil
    ) async throws -> LineClient {
        let client = try await LineClient.connect(
            port: self.port,
            name: name,
            readsInbound: readsInbound,
            receiveBufferSize: receiveBufferSize,
            defaultTimeout: self.lineTimeout,
            from: sourceAddress
        )
        self.clients.withLock { $0.append(client) }
        return client
    }

    /// Opens a connection and joins as `nickname`, which also names the client in failure messages.
    public func join(_ nickname: String, from sourceAddress: String? = nil) async throws -> LineClient {
        let client = try await self.connect(nickname, from: sourceAddress)
        try await client.join(as: nickname)
        return client
    }

    /// Joins `nicknames` in order, each reading the join notices of those after it, so every returned client has
    /// nothing pending.
    public func joinEveryone(_ nicknames: String...) async throws -> [LineClient] {
        var clients: [LineClient] = []
        for nickname in nicknames {
            let client = try await self.join(nickname)
            for earlier in clients {
                #expect(try await earlier.nextLine() == "* \(nickname) joined #main")
            }
            clients.append(client)
        }
        return clients
    }

    // MARK: Stopping

    /// Triggers a graceful shutdown and waits (at most `timeout`) for `run()` to end.
    /// - Returns: how `run()` ended, or nil when it was still running at the deadline.
    @discardableResult
    public func shutDownGracefully(timeout: Duration = TestServer.shutdownTimeout) async -> RunOutcome? {
        if let outcome = self.outcome.withLock({ $0 }) {
            return outcome
        }
        self.trigger.triggerGracefulShutdown()
        guard case .element(let outcome) = await self.outcomes.next(timeout: timeout) else {
            return nil
        }
        self.outcome.withLock { $0 = outcome }
        return outcome
    }

    /// Closes every client and stops the server. False when the server had to be abandoned.
    private func tearDown() async -> Bool {
        let clients = self.clients.withLock { $0 }
        for client in clients {
            await client.close()
            for violation in client.violations {
                Issue.record("The server broke its output contract: \(violation)")
            }
        }
        switch await self.shutDownGracefully() {
        case .returned:
            return true
        case .threw(let error):
            Issue.record("ChatServer.run() threw: \(error)")
            return true
        case nil:
            Issue.record("ChatServer.run() did not return within \(Self.shutdownTimeout) of a graceful shutdown")
            return false
        }
    }
}
