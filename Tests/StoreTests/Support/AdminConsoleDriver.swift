import ChatCore
import ChatTesting
import ServiceLifecycle

/// An ``AdminConsole`` over a test's hub, fed through an `AsyncStream`, as the server's stdin feeds the real one.
///
/// Started inside ``TestServer/withServer(_:hub:registry:services:extraListeners:lineTimeout:passwordRounds:_:)``,
/// so it sees that server's graceful-shutdown trigger.
final class AdminConsoleDriver: Sendable {
    private let input: AsyncStream<String>.Continuation
    private let output: TimedQueue<String>
    private let task: Task<Void, any Error>

    init(hub: ChatHub) {
        let (stream, input) = AsyncStream<String>.makeStream()
        let output = TimedQueue<String>()
        let console = AdminConsole(hub: hub, input: stream, logger: TestServer.logger) { text in
            output.push(text)
        }
        self.input = input
        self.output = output
        self.task = Task { try await console.run() }
    }

    /// Runs `body` with a console over `hub`, stopped afterwards whatever `body` does.
    static func withConsole<Result: Sendable>(
        hub: ChatHub,
        _ body: (AdminConsoleDriver) async throws -> Result
    ) async throws -> Result {
        let console = AdminConsoleDriver(hub: hub)
        do {
            let result = try await body(console)
            await console.stop()
            return result
        } catch {
            await console.stop()
            throw error
        }
    }

    /// Types `line` on the console and returns its answer.
    @discardableResult
    func run(_ line: String) async throws -> String {
        self.input.yield(line)
        guard case .element(let answer) = await self.output.next(timeout: TestTime.expected) else {
            throw ExpectationFailure("the admin console did not answer \"\(line)\"")
        }
        return answer
    }

    /// Types `line` on the console, for lines that have no answer (announcements).
    func type(_ line: String) {
        self.input.yield(line)
    }

    /// Ends the console's input and stops it.
    func stop() async {
        self.input.finish()
        self.task.cancel()
        _ = try? await self.task.value
    }
}
