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

/// The real ``ChatServer`` running inside the test process on `127.0.0.1`, port 0, for one test.
///
/// ``withServer(_:hub:registry:services:extraListeners:lineTimeout:passwordRounds:_:)`` starts it in a child task
/// under ServiceLifecycle's test trigger, learns the real port from `onListening`, runs the test, then shuts the
/// server down gracefully, the way SIGTERM would, and checks that `run()` returned in time. A server that does not
/// stop in time is cancelled and the test gets an issue, so nothing outlives the test. ``stop()`` shuts down early,
/// so a test can start another server on the same port.
///
/// A test may bring its own clients (a client process, a benchmark) or open line clients here
/// (`TestServer+Clients.swift`); those are closed before the server stops, and one that received invalid UTF-8 or
/// a control character fails the test.
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
    /// The line clients opened here, closed and checked when the test ends.
    let clients = Mutex<[LineClient]>([])
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
                    // Ends the wait for a port at once when run() returned without listening (a port in use).
                    ports.finish()
                }
                let addresses: [ListeningAddress]
                switch await ports.next(timeout: TestTime.serverStartOrStop) {
                case .element(let listening):
                    addresses = listening
                case .finished:
                    var reason = "run() returned"
                    if case .element(.threw(let error)) = await outcomes.next(timeout: .zero) {
                        reason = error
                    }
                    throw ExpectationFailure("no server listening on port \(configuration.port): \(reason)")
                case .timedOut:
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

    /// Shuts the server down gracefully before the test ends (clients are told, then closed) and waits for `run()`
    /// to return, so that another server can start on the same port.
    /// - Returns: false when it was still running after ``shutdownTimeout``.
    @discardableResult
    public func stop() async -> Bool {
        await self.shutDownGracefully() != nil
    }

    /// Closes every client and stops the server. False when the server had to be abandoned.
    private func tearDown() async -> Bool {
        await self.closeClients()
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
