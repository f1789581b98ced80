import ChatTesting
import Foundation
import Testing

/// What happens when a node or the database fails: a killed node's users are shown as gone and can come back on
/// another node; a database that goes away is answered with `! ` lines, and once it is back nothing anyone saw is
/// lost or shown twice.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: TestPostgres.shouldRun)
)
struct FaultTests {
    @Test func aKilledNodesUsersAreShownAsGoneAndCanComeBackOnAnotherNode() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let bob = try await cluster.join("bob", on: 1)
            try await alice.expectCluster("* bob joined #main")
            try await bob.send("last words before the crash")
            try await alice.expectCluster("<bob> last words before the crash")

            let killedAt = ContinuousClock.now
            cluster.kill(1)
            try await alice.expectCluster("* bob left #main (node-b stopped answering)")
            let gone = killedAt.duration(to: .now)
            // The node timeout (3 s here) plus a heartbeat interval, with room for a busy machine.
            #expect(gone < .seconds(TestCluster.nodeTimeoutSeconds) + TestTime.scaled(.seconds(10)), "\(gone)")

            // Bob's nickname is free again, and what he said is still there for him on the other node.
            let back = try await cluster.connect("bob-back", to: 0)
            try await back.join(as: "bob")
            try await alice.expectCluster("* bob joined #main")
            let history = try await back.answer(to: "/history 5")
            #expect(history.contains { $0.hasSuffix("<bob> last words before the crash") }, "\(history)")
        }
    }

    @Test func aNodeRestartedUnderItsNameClearsWhatItsKilledRunLeft() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            _ = try await cluster.join("bob", on: 1)
            try await alice.expectCluster("* bob joined #main")
            cluster.kill(1)
            // Restarted at once, before the others' heartbeats could expire it: it clears its own leftovers.
            let restarted = try await cluster.startNode(named: "node-b")
            try await alice.expectCluster("* bob left #main (node-b restarted)")
            let bob = try await LineClient.connect(port: restarted.port, name: "bob")
            try await bob.join(as: "bob")
        }
    }

    @Test func aDatabaseRestartInABusyRoomLosesAndDuplicatesNothing() async throws {
        guard TestPostgres.installedBinDirectory != nil || TestPostgres.isRequired else { return }
        try await TestPostgres.withCluster { postgres in
            try await TestCluster.with(postgres: postgres) { cluster in
                let watcherA = try await cluster.join("watch-a", on: 0)
                let watcherB = try await cluster.join("watch-b", on: 1)
                let sender = try await cluster.join("sender", on: 0)
                try await watcherB.expectCluster("* sender joined #main")
                _ = await watcherA.drain(quietFor: .milliseconds(300))

                let count = 120
                let sending = Task {
                    for index in 0..<count {
                        try await sender.send("busy \(index)")
                        try await Task.sleep(for: .milliseconds(25))
                    }
                }
                try await Task.sleep(for: .milliseconds(800))
                try await postgres.stopServer()
                try await Task.sleep(for: .seconds(1))
                try await postgres.restartServer()
                try await sending.value

                // What the sender was told was not sent, and what the watchers saw, once everything settled.
                try await sender.send("/whois settle-marker")
                var refused = 0
                while true {
                    let line = try await sender.nextLine(timeout: TestCluster.patience)
                    if line.contains("settle-marker") { break }
                    if line.hasPrefix("! Your message could not be saved, so it was not sent") { refused += 1 }
                }
                try await sender.send("all done")
                let seenOnA = try await Self.busyLines(by: watcherA)
                let seenOnB = try await Self.busyLines(by: watcherB)
                #expect(seenOnA == seenOnB)
                #expect(Set(seenOnA).count == seenOnA.count, "a line was shown twice: \(seenOnA)")
                // Lines refused after being stored (the answer lost with the connection) may still appear: never
                // fewer than the accepted ones, never more than were sent.
                #expect(seenOnA.count >= count - refused && seenOnA.count <= count, "\(seenOnA.count), \(refused)")
                let order = seenOnA.compactMap { Int($0.dropFirst("<sender> busy ".count)) }
                #expect(order == order.sorted(), "\(order)")
            }
        }
    }

    /// The `busy N` lines `watcher` reads until the sender's `all done`.
    private static func busyLines(by watcher: LineClient) async throws -> [String] {
        var lines: [String] = []
        while true {
            let line = try await watcher.nextLine(timeout: TestCluster.patience)
            if line == "<sender> all done" { return lines }
            if line.hasPrefix("<sender> busy ") { lines.append(line) }
        }
    }
}
