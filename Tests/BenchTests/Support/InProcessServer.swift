import ChatCore
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// The real ``ChatServer`` inside the test process on 127.0.0.1, port 0, with flood control off so a benchmark's
/// senders are never throttled.
///
/// ``withServer(_:)`` starts it under ServiceLifecycle's test trigger, learns the real port from `onListening`, runs
/// the test, then shuts the server down gracefully and checks that `run()` returned in time.
final class InProcessServer: Sendable {
    /// How long starting or stopping may take.
    static let timeout = Duration.seconds(5)

    static let logger = Logger(label: "slashchat-bench-test", factory: { _ in SwiftLogNoOpLogHandler() })

    let port: Int
    private let trigger: GracefulShutdownTestTrigger
    private let hasStopped: LockedValue<Bool>

    private init(port: Int, trigger: GracefulShutdownTestTrigger, hasStopped: LockedValue<Bool>) {
        self.port = port
        self.trigger = trigger
        self.hasStopped = hasStopped
    }

    /// Runs `body` against a fresh server, then stops the server.
    static func withServer(_ body: (InProcessServer) async throws -> Void) async throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.floodRate = 0
        let listening = LockedValue<Int?>(nil)
        let hasStopped = LockedValue(false)
        let failure = LockedValue<String?>(nil)
        let server = ChatServer(configuration: configuration, logger: Self.logger) { port in
            listening.withLock { $0 = port }
        }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await server.run()
                    } catch {
                        failure.withLock { $0 = "\(error)" }
                    }
                    hasStopped.withLock { $0 = true }
                }
                _ = await Deadline.poll(within: Self.timeout) { listening.value != nil || hasStopped.value }
                guard let port = listening.value else {
                    group.cancelAll()
                    let reason = failure.value ?? "no answer within \(Self.timeout)"
                    throw ExpectationFailure("the chat server did not start listening: \(reason)")
                }
                let harness = InProcessServer(port: port, trigger: trigger, hasStopped: hasStopped)
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

    /// Shuts the server down gracefully and waits for `run()` to return.
    /// - Returns: false when it was still running after ``timeout``.
    private func stop() async -> Bool {
        if self.hasStopped.value { return true }
        self.trigger.triggerGracefulShutdown()
        return await Deadline.poll(within: Self.timeout) { self.hasStopped.value }
    }
}
