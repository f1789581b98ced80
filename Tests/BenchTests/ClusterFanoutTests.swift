import ChatBench
import ChatTesting
import Foundation
import Testing

/// The fan-out against a real two-node cluster (two `server --postgres` processes on one fresh database of the test
/// process's throwaway PostgreSQL): clients and senders on both nodes, and every member gets every line exactly once,
/// whichever node its sender is on.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: TestPostgres.shouldRun)
)
struct ClusterFanoutTests {
    @Test func aRunSplitOverTwoNodesDeliversEveryLineOnceToEveryMember() async throws {
        let cluster = try await TestPostgres.shared()
        let url = cluster.url(database: try await cluster.createDatabase())
        try await TemporaryDirectory.withDirectory { first in
            try await TemporaryDirectory.withDirectory { second in
                let nodeA = try await ServerProcess.start(
                    dataDirectory: first.path,
                    arguments: ["--postgres", url, "--node-name", "bench-a", "--flood-rate", "0"]
                )
                defer { nodeA.kill() }
                let nodeB = try await ServerProcess.start(
                    dataDirectory: second.path,
                    arguments: ["--postgres", url, "--node-name", "bench-b", "--flood-rate", "0"]
                )
                defer { nodeB.kill() }
                var options = FanoutBenchmark.Options(
                    target: BenchTarget(
                        port: nodeA.port,
                        alsoPorts: [nodeB.port],
                        serverPID: Int(nodeA.process.processIdentifier),
                        alsoServerPIDs: [Int(nodeB.process.processIdentifier)],
                        threads: 2
                    )
                )
                options.clients = 6
                options.senders = 4
                options.messagesPerSender = 30
                options.drainTimeout = TestTime.expected
                options.joinTimeout = TestTime.process
                let report = try await FanoutBenchmark(options: options).run()
                #expect(report.clientsPerPort == [3, 3])
                #expect(report.expectedDeliveries == 4 * 30 * 5)
                #expect(report.delivered == report.expectedDeliveries)
                #expect(report.lost == 0)
                #expect(report.duplicated == 0)
                #expect(report.echoed == 0)
                #expect(report.garbled == 0)
                #expect(report.serverProcesses == 2)
            }
        }
    }
}
