import ChatCore
import ChatTransportTCP
import Foundation
import Logging
import PasswordHashing
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real ``ChatServer`` running inside the test process on 127.0.0.1, for a client or a benchmark to talk to.
///
/// ``withServer(_:_:)`` starts it under ServiceLifecycle's test trigger, learns the real port from `onListening`,
/// runs the test, then shuts the server down gracefully, the way SIGTERM would, and checks that `run()` returned in
/// time. ``stop()`` does that early, so a test can start another server on the same port.
///
/// Unlike ``TestServer`` it keeps no clients of its own: the test brings its own (a client process, a benchmark).
public final class InProcessServer: Sendable {
    /// How long starting or stopping may take.
    public static let timeout = TestTime.serverStartOrStop

    /// Logs nothing.
    public static let logger = Logger(label: "slashchat-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The port the server really listens on.
    public let port: Int
    /// Every listener's real address: the plain one first, then the `extraListeners`.
    public let addresses: [ListeningAddress]
    /// The server under test, for a look at its hub.
    public let server: ChatServer
    private let trigger: GracefulShutdownTestTrigger
    private let hasStopped: LockedValue<Bool>

    private init(
        addresses: [ListeningAddress],
        server: ChatServer,
        trigger: GracefulShutdownTestTrigger,
        hasStopped: LockedValue<Bool>
    ) {
        self.addresses = addresses
        self.port = addresses[0].port
        self.server = server
        self.trigger = trigger
        self.hasStopped = hasStopped
    }

    /// Runs `body` against a fresh server started with `configuration` (by default on any free port), then stops
    /// the server. The server hashes passwords at ``PasswordHasher/testRounds``.
    /// - Parameter extraListeners: more ways in after the plain TCP one (a TLS listener, say).
    public static func withServer(
        _ configuration: ServerConfiguration = .loopback(),
        extraListeners: [any ChatListener] = [],
        _ body: (InProcessServer) async throws -> Void
    ) async throws {
        let listening = LockedValue<[ListeningAddress]?>(nil)
        let hasStopped = LockedValue(false)
        let failure = LockedValue<String?>(nil)
        let server = ChatServer(
            configuration: configuration,
            listeners: [TCPListener(configuration)] + extraListeners,
            logger: Self.logger
        ) { addresses in
            listening.withLock { $0 = addresses }
        }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await PasswordHasher.withTestCost { try await server.run() }
                    } catch {
                        failure.withLock { $0 = "\(error)" }
                    }
                    hasStopped.withLock { $0 = true }
                }
                _ = await Deadline.poll(within: Self.timeout) { listening.value != nil || hasStopped.value }
                guard let addresses = listening.value else {
                    group.cancelAll()
                    let reason = failure.value ?? "no answer within \(Self.timeout)"
                    throw ExpectationFailure("no server listening on port \(configuration.port): \(reason)")
                }
                let harness = InProcessServer(
                    addresses: addresses,
                    server: server,
                    trigger: trigger,
                    hasStopped: hasStopped
                )
                let bodyError: (any Error)?
                do {
                    try await body(harness)
                    bodyError = nil
                } catch {
                    bodyError = error
                }
                if await !harness.stop() {
                    Issue.record("ChatServer.run() did not return within \(Self.timeout) of a graceful shutdown")
                    group.cancelAll()
                }
                if let error = failure.value {
                    Issue.record("ChatServer.run() threw: \(error)")
                }
                if let bodyError {
                    throw bodyError
                }
            }
        }
    }

    /// Shuts the server down gracefully (clients are told, then closed) and waits for `run()` to return.
    /// - Returns: false when it was still running after ``timeout``.
    @discardableResult
    public func stop() async -> Bool {
        if self.hasStopped.value { return true }
        self.trigger.triggerGracefulShutdown()
        return await Deadline.poll(within: Self.timeout) { self.hasStopped.value }
    }

    /// A free port for a server that must come back on the same port. It is taken from below Linux's ephemeral
    /// range (32768 and up), so no outgoing connection of a parallel test can be holding it as its local port when
    /// the second server binds.
    public static func freePort() throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: 20_000..<32_000)
            if Self.canBind(candidate) { return candidate }
        }
        throw ExpectationFailure("no free port found between 20000 and 32000")
    }

    private static func canBind(_ port: Int) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return false }
        defer { close(socketDescriptor) }
        var reuse: Int32 = 1
        setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) == 0 }
        }
    }
}
