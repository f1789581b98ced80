import ChatCore
import ChatProtocol
import ChatTesting
import NIOCore
import Testing

/// The nickname dialogue, from the greeting to the welcome, and the ways it can fail.
@Suite struct JoiningTests {
    @Test func greetsWithAPromptForANickname() async throws {
        try await TestServer.withServer { server in
            let client = try await server.connect("client")
            let greeting = try await client.nextLine()
            #expect(greeting.hasPrefix("* "))
            let prompt = try await client.nextLine()
            #expect(prompt.hasPrefix("* "))
            #expect(prompt.contains("nickname"))
        }
    }

    @Test func welcomesByNameAndMentionsHelpAndQuit() async throws {
        try await TestServer.withServer { server in
            let alice = try await server.connect("alice")
            try await alice.expectLine(containing: "Choose a nickname")
            try await alice.send("alice")
            let welcome = try await alice.nextLine()
            #expect(welcome.hasPrefix("* "))
            #expect(welcome.contains("alice"))
            #expect(welcome.contains("/help"))
            #expect(welcome.contains("/quit"))
        }
    }

    @Test func announcesANewcomerToTheRoom() async throws {
        try await TestServer.withServer { server in
            let bob = try await server.join("bob")
            let alice = try await server.join("alice")
            #expect(try await bob.nextLine() == "* alice joined #main")
            try await alice.expectNoLine(within: .milliseconds(200))
        }
    }

    @Test func acceptsANicknameEndedByCRLF() async throws {
        try await TestServer.withServer { server in
            let alice = try await server.connect("alice")
            try await alice.expectLine(containing: "Choose a nickname")
            try await alice.sendRaw("alice\r\n")
            try await alice.expectLine(containing: "Welcome to slashchat, alice!")
        }
    }

    @Test(arguments: ["bad name", "x!", String(repeating: "n", count: 33), "server"])
    func rejectsAnInvalidNicknameAndAsksAgain(nickname: String) async throws {
        try await TestServer.withServer { server in
            let client = try await server.connect("client")
            try await client.expectLine(containing: "Choose a nickname")
            try await client.send(nickname)
            let error = try await client.nextLine()
            #expect(error.hasPrefix("! "))
            let prompt = try await client.nextLine()
            #expect(prompt.hasPrefix("* ") && prompt.contains("nickname"))
            try await client.send("fine")
            try await client.expectLine(containing: "Welcome to slashchat, fine!")
        }
    }

    @Test func acceptsTheLongestAllowedNickname() async throws {
        try await TestServer.withServer { server in
            let nickname = "a-b_c." + String(repeating: "Z9", count: 13)
            #expect(nickname.count == Nickname.maximumLength)
            let client = try await server.connect("client")
            try await client.join(as: nickname)
        }
    }

    @Test func readsLinesSentTogetherWithTheNickname() async throws {
        try await TestServer.withServer { server in
            let bob = try await server.join("bob")
            let alice = try await server.connect("alice")
            try await alice.sendRaw("alice\nhello\n/me waves\n")
            #expect(try await bob.nextLine() == "* alice joined #main")
            #expect(try await bob.nextLine() == "<alice> hello")
            #expect(try await bob.nextLine() == "* alice waves")
            try await alice.expectLine(containing: "Welcome to slashchat, alice!")
        }
    }

    @Test(arguments: ["alice", "ALICE", "Alice"])
    func rejectsANicknameTakenInAnyCase(nickname: String) async throws {
        try await TestServer.withServer { server in
            _ = try await server.join("alice")
            let second = try await server.connect("second")
            try await second.expectLine(containing: "Choose a nickname")
            try await second.send(nickname)
            let error = try await second.nextLine()
            #expect(error.hasPrefix("! "))
            #expect(error.contains("taken"))
            try await second.expectLine(containing: "Choose a nickname")
        }
    }

    @Test(arguments: ["al\u{1B}ice", "al\rice", "alice\u{1B}[31m", "al\u{7F}ice", "ali\u{0}ce"])
    func rejectsANicknameWithAControlCharacter(nickname: String) async throws {
        try await TestServer.withServer { server in
            let client = try await server.connect("client")
            try await client.expectLine(containing: "Choose a nickname")
            try await client.send(nickname)
            let error = try await client.nextLine()
            #expect(error.hasPrefix("! "))
            #expect(!error.contains("\u{1B}") && !error.contains("\r") && !error.contains("\u{7F}"))
            try await client.expectLine(containing: "Choose a nickname")
            // Nobody joined under a cleaned-up version of the name.
            try await client.send("alice")
            try await client.expectLine(containing: "Welcome to slashchat, alice!")
        }
    }

    @Test func closesTheConnectionAfterThreeFailedAttempts() async throws {
        try await TestServer.withServer { server in
            _ = try await server.join("alice")
            let client = try await server.connect("client")
            try await client.expectLine(containing: "Choose a nickname")
            try await client.send("bad name")
            #expect(try await client.expectLine(containing: "! ").hasPrefix("! "))
            try await client.send("ALICE")
            #expect(try await client.expectLine(containing: "! ").hasPrefix("! "))
            try await client.send("")
            #expect(try await client.expectLine(containing: "! ").hasPrefix("! "))
            let rest = try await client.expectClosed()
            #expect(!rest.contains { $0.contains("Choose a nickname") })
        }
    }

    @Test func closesAnIdleConnectionWhenTheNicknameTimeoutExpires() async throws {
        try await TestServer.withServer(.loopback(nicknameTimeout: .seconds(1))) { server in
            // The clock starts before connecting, as the server's does at accept: a slow greeting must not look like
            // an early close.
            let start = ContinuousClock.now
            let client = try await server.connect("client")
            try await client.expectLine(containing: "Choose a nickname")
            // Bounded well below the default 30 s timeout, so a server that ignored the 1 s one would fail.
            let lines = try await client.expectClosed(timeout: .seconds(20))
            let elapsed = start.duration(to: .now)
            #expect(lines.contains { $0.hasPrefix("! ") })
            #expect(elapsed > .milliseconds(700))
        }
    }

    /// Activity must not keep a nameless connection alive: neither a nickname typed one byte every 100 ms, nor
    /// commands that do not choose one.
    @Test(arguments: [[UInt8(ascii: "a")], Array("/mode plain\n".utf8)])
    func closesABusyConnectionWhenTheNicknameTimeoutExpires(trickle: [UInt8]) async throws {
        // A run is only a verdict when the trickle really was busy inside the timeout; on a machine so loaded that
        // this task slept through it, the run says nothing and is made again (three tries at most).
        for attempt in 1...3 {
            let (sent, elapsed, lines) = try await Self.trickleUntilClosed(trickle)
            guard sent >= 2 || attempt == 3 else { continue }
            #expect(lines.contains { $0.hasPrefix("! ") && $0.contains("nickname") })
            #expect(elapsed < .seconds(20))
            // At least two bytes of activity inside the timeout.
            #expect(sent >= 2, "only \(sent) trickles were sent")
            return
        }
    }

    /// Connects to a server whose nickname timeout is 5 s, sends `trickle` every 100 ms for 4.2 s, and waits for the
    /// close: how many trickles went out, how long the close took, and what the server said.
    private static func trickleUntilClosed(_ trickle: [UInt8]) async throws -> (Int, Duration, [String]) {
        var outcome = (0, Duration.zero, [String]())
        try await TestServer.withServer(.loopback(nicknameTimeout: .seconds(5))) { server in
            // The server's 5 s start at its accept, after this: it closes 5 s from here at the earliest.
            let start = ContinuousClock.now
            let client = try await server.connect("client")
            var sent = 0
            // Busy until 0.8 s before that, then quiet: bytes that cross the server's close would make its kernel
            // answer with a reset, which can throw away the goodbye line before this client reads it.
            while start.duration(to: .now) < .milliseconds(4200), !client.isClosed {
                try? await client.sendRaw(trickle)
                sent += 1
                try await Task.sleep(for: .milliseconds(100))
            }
            // Bounded well below the default 30 s timeout, with room for a busy machine.
            let lines = try await client.expectClosed(timeout: .seconds(20), maxSkipped: 100)
            outcome = (sent, start.duration(to: .now), lines)
        }
        return outcome
    }

    @Test func quittingBeforeChoosingANicknameSaysGoodbye() async throws {
        try await TestServer.withServer { server in
            let client = try await server.connect("client")
            try await client.expectLine(containing: "Choose a nickname")
            try await client.send("/quit")
            try await client.expectLine(containing: "Goodbye")
            try await client.expectClosed()
        }
    }
}
