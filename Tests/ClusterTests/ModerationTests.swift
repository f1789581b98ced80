import ChatTesting
import Testing

/// The console's moderation holds on every node: a kick or a ban typed on one node's console disconnects the user
/// wherever they are, and a banned address is refused by every node.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: TestPostgres.shouldRun)
)
struct ModerationTests {
    @Test func aKickOnOneNodesConsoleDisconnectsTheUserFromAnother() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let bob = try await cluster.join("bob", on: 1)
            try await alice.expectCluster("* bob joined #main")
            try cluster[0].typeInConsole("kick bob flooding")
            try await bob.expectCluster("! You have been disconnected: kicked by the server: flooding.")
            try await bob.expectClosed()
            try await alice.expectCluster("* bob left #main (kicked by the server: flooding)")
        }
    }

    @Test func aBanOnOneNodesConsoleKicksFromAnotherAndEveryNodeRefusesTheAddress() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let troll = try await LineClient.connect(port: cluster[1].port, name: "troll", from: "127.0.0.2")
            try await troll.join(as: "troll")
            try await alice.expectCluster("* troll joined #main")

            try cluster[0].typeInConsole("ban troll 1h spam")
            try await troll.expectCluster("! You have been disconnected: banned: spam.")
            try await troll.expectClosed()
            try await alice.expectCluster("* troll left #main (banned: spam)")

            // Both nodes refuse the address now.
            for node in 0..<2 {
                let back = try await LineClient.connect(port: cluster[node].port, name: "back", from: "127.0.0.2")
                let refusal = try await back.nextLine(timeout: TestCluster.patience)
                #expect(refusal.hasPrefix("! ") && refusal.contains("banned"), "node \(node): \(refusal)")
                await back.close()
            }
        }
    }

    @Test func anAccountBanOnOneConsoleDisconnectsItsSessionOnAnotherNode() async throws {
        try await TestCluster.with { cluster in
            let carol = try await LineClient.connect(port: cluster[1].port, name: "carol", from: "127.0.0.3")
            try await carol.join(as: "carol")
            try await carol.send("/register carols-password")
            try await carol.expectLine(containing: "* Registered ")

            try cluster[0].typeInConsole("ban carol")
            try await carol.expectCluster("! You have been disconnected: banned.")
            try await carol.expectClosed()
        }
    }
}
