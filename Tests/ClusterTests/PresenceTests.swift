import ChatTesting
import Testing

/// One directory of who is online where: nicknames are unique across the cluster, a registered one is protected on
/// every node, and `/who`, `/rooms`, `/whois` and the console's `who` show every node.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: TestPostgres.shouldRun)
)
struct PresenceTests {
    @Test func ofTwoPeopleRacingForOneNicknameOnTwoNodesExactlyOneWins() async throws {
        try await TestCluster.with { cluster in
            for round in 0..<5 {
                let nickname = "racer\(round)"
                let first = try await cluster.connect("first", to: 0)
                let second = try await cluster.connect("second", to: 1)
                try await first.expectLine(containing: "Choose a nickname")
                try await second.expectLine(containing: "Choose a nickname")
                async let sentFirst: Void = first.send(nickname)
                async let sentSecond: Void = second.send(nickname)
                _ = try await (sentFirst, sentSecond)
                async let answerFirst = first.nextLine(timeout: TestCluster.patience)
                async let answerSecond = second.nextLine(timeout: TestCluster.patience)
                let answers = try await [answerFirst, answerSecond]
                let welcomes = answers.filter { $0.hasPrefix("* Welcome to slashchat, \(nickname)!") }
                let refusals = answers.filter { $0 == "! The nickname \(nickname) is taken; choose another nickname." }
                #expect(welcomes.count == 1 && refusals.count == 1, "\(answers)")
            }
        }
    }

    @Test func aNicknameInUseOnOneNodeIsTakenOnTheOtherUntilItsUserLeaves() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let impostor = try await cluster.connect("impostor", to: 1)
            try await impostor.expectLine(containing: "Choose a nickname")
            try await impostor.send("ALICE")
            #expect(try await impostor.nextLine() == "! The nickname ALICE is taken; choose another nickname.")
            let bob = try await cluster.join("bob", on: 1)
            try await bob.send("/nick Alice")
            #expect(try await bob.nextLine() == "! The nickname Alice is taken.")
            try await alice.send("/quit")
            try await alice.expectClosed()
            try await bob.expectCluster("* alice left #main (quit)")
            try await bob.send("/nick Alice")
            try await bob.expectCluster("* bob is now known as Alice")
        }
    }

    @Test func aRegisteredNicknameIsProtectedOnEveryNode() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            try await alice.send("/register correct-horse-battery")
            try await alice.expectLine(containing: "* Registered ")
            try await alice.send("/quit")
            try await alice.expectClosed()

            // Someone else asking for it on the other node is asked for its password, and a wrong one fails.
            let guesser = try await cluster.connect("guesser", to: 1)
            try await guesser.expectLine(containing: "Choose a nickname")
            try await guesser.send("alice")
            try await guesser.expectLine(containing: "The nickname alice is registered. Password:")
            try await guesser.send("wrong-password")
            try await guesser.expectLine(containing: "Wrong password")

            // Its owner logs in on that node with it.
            let again = try await cluster.connect("alice-again", to: 1)
            try await again.expectLine(containing: "Choose a nickname")
            try await again.send("alice")
            try await again.expectLine(containing: "The nickname alice is registered. Password:")
            try await again.send("correct-horse-battery")
            try await again.expectLine(containing: "Welcome to slashchat, alice!")
        }
    }

    @Test func loggingInOnAnotherNodeTakesOverTheStaleSession() async throws {
        try await TestCluster.with { cluster in
            let stale = try await cluster.join("alice", on: 0)
            try await stale.send("/register correct-horse-battery")
            try await stale.expectLine(containing: "* Registered ")

            let fresh = try await cluster.connect("alice-fresh", to: 1)
            try await fresh.expectLine(containing: "Choose a nickname")
            try await fresh.send("alice")
            try await fresh.expectLine(containing: "The nickname alice is registered. Password:")
            try await fresh.send("correct-horse-battery")
            try await stale.expectCluster("! You have been disconnected: logged in from elsewhere.")
            try await fresh.expectLine(containing: "Welcome to slashchat, alice!", timeout: TestCluster.patience)
        }
    }

    @Test func whoRoomsWhoisAndTheConsoleShowTheWholeCluster() async throws {
        try await TestCluster.with { cluster in
            let alice = try await cluster.join("alice", on: 0)
            let bob = try await cluster.join("bob", on: 1)
            try await bob.send("/away at lunch")
            try await bob.expectLine(containing: "You are marked as away")
            let carol = try await cluster.join("carol", on: 1)
            try await carol.send("/join #side")
            try await carol.expectLine(containing: "joined #side")
            try await alice.expectCluster("* carol left #main for #side")

            #expect(try await alice.answer(to: "/who") == ["* #main (2): alice, bob (away: at lunch)"])
            #expect(try await alice.answer(to: "/rooms") == ["* Rooms: #main (2), #side (1); /join ROOM to move"])
            let whois = try await alice.answer(to: "/whois bob")
            #expect(
                whois.count == 1 && whois[0].hasPrefix("* bob is in #main on node node-b, connected for "),
                "\(whois)"
            )
            #expect(whois.first?.hasSuffix(", away: at lunch") == true, "\(whois)")
            let own = try await alice.answer(to: "/whois alice")
            #expect(own.first?.hasPrefix("* alice is in #main on node node-a, idle ") == true, "\(own)")

            try cluster[0].typeInConsole("who")
            let deadline = ContinuousClock.now + TestCluster.patience
            while !cluster[0].standardOutput.contains("carol in #side from 127.0.0.1"),
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            let output = cluster[0].standardOutput
            #expect(output.contains("alice in #main from 127.0.0.1 on node-a"), "\(output)")
            #expect(output.contains("bob in #main from 127.0.0.1 on node-b"), "\(output)")
            #expect(output.contains("carol in #side from 127.0.0.1 on node-b"), "\(output)")
        }
    }
}
