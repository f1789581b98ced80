import ChatTesting
import Testing

/// A room is the same room on every node: lines, actions and notices cross, and every member everywhere sees one
/// order.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: TestPostgres.shouldRun)
)
struct RoomBusTests {
    @Test func aMessageOnOneNodeReachesEveryMemberOnEveryNode() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let bob = try await cluster.join("bob", on: 1)
            let carol = try await cluster.join("carol", on: 0)
            try await alice.expectCluster("* bob joined #main")
            try await bob.expectCluster("* carol joined #main")

            try await alice.send("hello everyone :tada:")
            try await bob.expectCluster("<alice> hello everyone 🎉")
            try await carol.expectCluster("<alice> hello everyone 🎉")

            try await bob.send("/me waves")
            try await alice.expectCluster("* bob waves")
            try await carol.expectCluster("* bob waves")
        }
    }

    @Test func everyMemberOnEveryNodeSeesARoomsLinesInOneOrder() async throws {
        try await TestCluster.with { cluster in
            let watcherA = try await cluster.join("watch-a", on: 0)
            let watcherB = try await cluster.join("watch-b", on: 1)
            let senderA = try await cluster.join("send-a", on: 0)
            let senderB = try await cluster.join("send-b", on: 1)
            try await watcherA.expectCluster("* send-b joined #main")
            try await watcherB.expectCluster("* send-b joined #main")
            let perSender = 60
            // Both nodes commit into the room at once: their batches interleave in the room's sequence.
            async let fromA: Void = Self.send(perSender, from: senderA, tagged: "a")
            async let fromB: Void = Self.send(perSender, from: senderB, tagged: "b")
            _ = try await (fromA, fromB)
            let seenOnA = try await Self.lines(2 * perSender, by: watcherA)
            let seenOnB = try await Self.lines(2 * perSender, by: watcherB)
            #expect(seenOnA == seenOnB)
            #expect(Set(seenOnA).count == 2 * perSender)
            // Each sender's own lines keep the order they were sent in.
            for tag in ["a", "b"] {
                let own = seenOnA.filter { $0.hasPrefix("<send-\(tag)>") }
                #expect(own == (0..<perSender).map { "<send-\(tag)> line \(tag) \($0)" })
            }
        }
    }

    @Test func joinsRenamesRoomChangesAndLeavesCrossNodes() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let bob = try await cluster.join("bob", on: 1)
            try await alice.expectCluster("* bob joined #main")

            try await bob.send("/nick robert")
            try await alice.expectCluster("* bob is now known as robert")
            try await bob.send("/join #side")
            try await alice.expectCluster("* robert left #main for #side")
            try await alice.send("/join #side")
            try await bob.expectCluster("* alice joined #side")
            try await alice.send("in the side room")
            try await bob.expectCluster("<alice> in the side room")

            try await bob.send("/quit")
            try await alice.expectCluster("* robert left #side (quit)")
        }
    }

    @Test func aCommandsBlockReachesTheRoomOnEveryNode() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let bob = try await cluster.join("bob", on: 1)
            try await alice.expectCluster("* bob joined #main")
            try await alice.send("/cowsay moo")
            let header = try await bob.expectLine(containing: "alice ran /cowsay", timeout: TestCluster.patience)
            #expect(header == "* alice ran /cowsay moo")
            #expect(try await bob.nextLine() == " _____")
            #expect(try await bob.nextLine() == "< moo >")
        }
    }

    private static func send(_ count: Int, from sender: LineClient, tagged tag: String) async throws {
        for index in 0..<count {
            try await sender.send("line \(tag) \(index)")
        }
    }

    /// The next `count` room lines `watcher` reads (`<nick> text`), skipping notices.
    private static func lines(_ count: Int, by watcher: LineClient) async throws -> [String] {
        var lines: [String] = []
        while lines.count < count {
            let line = try await watcher.nextLine(timeout: TestCluster.patience)
            if line.hasPrefix("<") { lines.append(line) }
        }
        return lines
    }
}
