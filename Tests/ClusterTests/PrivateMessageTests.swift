import ChatTesting
import Testing

/// Private messages reach their recipient on whichever node, and `/reply`, `/away` and offline messages work as on
/// one box.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: TestPostgres.shouldRun)
)
struct PrivateMessageTests {
    @Test func messagesRepliesAndAwayAnswersCrossNodes() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let bob = try await cluster.join("bob", on: 1)
            try await alice.expectCluster("* bob joined #main")

            try await alice.send("/msg BOB psst :wave:")
            try await bob.expectCluster("[PM from alice] psst 👋")
            try await bob.send("/reply got it")
            try await alice.expectCluster("[PM from bob] got it")

            try await bob.send("/away back soon")
            try await bob.expectLine(containing: "You are marked as away")
            // The directory has the away message once the other node wrote it; the PM goes through at once anyway.
            let deadline = ContinuousClock.now + TestCluster.patience
            var answers: [String] = []
            while ContinuousClock.now < deadline {
                answers = try await alice.answer(to: "/msg bob are you there?")
                if answers.contains("* bob is away: back soon") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answers == ["* bob is away: back soon"])
            try await bob.expectCluster("[PM from alice] are you there?")
        }
    }

    @Test func aRegisteredUserOfflineGetsTheMessageAtTheNextLoginOnAnyNode() async throws {
        try await TestCluster.with { cluster in
            let bob = try await cluster.join("bob", on: 1)
            try await bob.send("/register bobs-long-password")
            try await bob.expectLine(containing: "* Registered ")
            try await bob.send("/quit")
            try await bob.expectClosed()

            let alice = try await cluster.join("alice", on: 0)
            // Bob's node frees his nickname in the directory just after his connection closed.
            let deadline = ContinuousClock.now + TestCluster.patience
            while try await alice.answer(to: "/whois bob") != ["! No one called bob is online."],
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            let kept = try await alice.answer(to: "/msg bob see you tomorrow")
            #expect(kept.count == 1 && kept.first?.contains("bob") == true, "\(kept)")

            let again = try await cluster.connect("bob-again", to: 0)
            try await again.expectLine(containing: "Choose a nickname")
            try await again.send("bob")
            try await again.expectLine(containing: "The nickname bob is registered. Password:")
            try await again.send("bobs-long-password")
            try await again.expectLine(containing: "see you tomorrow", timeout: TestCluster.patience)
        }
    }
}
