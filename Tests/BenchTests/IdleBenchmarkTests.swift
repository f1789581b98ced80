import ChatBench
import ChatTesting
import Foundation
import Testing

@Suite struct IdleBenchmarkTests {
    private func options(port: Int) -> IdleBenchmark.Options {
        var options = IdleBenchmark.Options(target: BenchTarget(port: port))
        options.clients = 20
        options.target.threads = 2
        options.joinTimeout = TestTime.process
        return options
    }

    @Test func twentyIdleClientsJoinTheRealServer() async throws {
        try await TestServer.withServer(.benchmark) { server in
            let report = try await IdleBenchmark(options: self.options(port: server.port)).run()
            #expect(report.clients == 20)
            #expect(report.connectSeconds > 0)
            #expect(report.serverResidentBeforeKiB == nil)
            #expect(report.serverResidentAfterKiB == nil)
            #expect(report.serverKiBPerConnection == nil)
        }
    }

    @Test(.enabled(if: ProcFileSystem.isAvailable, "needs Linux /proc"))
    func givenTheServerPIDTheReportIncludesServerMemory() async throws {
        try await TestServer.withServer(.benchmark) { server in
            var options = self.options(port: server.port)
            options.target.serverPID = Int(getpid())
            let report = try await IdleBenchmark(options: options).run()
            #expect(report.clients == 20)
            let before = try #require(report.serverResidentBeforeKiB)
            let after = try #require(report.serverResidentAfterKiB)
            let perConnection = try #require(report.serverKiBPerConnection)
            #expect(before > 0)
            #expect(after > 0)
            #expect(perConnection == Double(after - before) / 20)
        }
    }

    @Test func failsWithAnErrorWhenNoServerListens() async {
        // In a child process: a leaked promise would trap, and take the test run with it.
        await #expect(processExitsWith: .success) {
            var options = IdleBenchmark.Options(target: BenchTarget(port: try await UnusedPort.find()))
            options.clients = 4
            options.target.threads = 1
            options.joinTimeout = .seconds(5)
            // The trap comes when the last reference to a failed connection goes, which may be just after a run
            // returns; a later run (and a moment's grace) lets it come inside this process's lifetime.
            for _ in 0..<3 {
                let report = try? await IdleBenchmark(options: options).run()
                if report != nil {
                    exit(EXIT_FAILURE)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
