import ChatCore
import ChatTesting
import Testing

/// A client that has disconnected stops acting at once: what it left queued beyond its flood allowance is thrown
/// away, its session leaves, and its slot is free again.
@Suite struct GhostTests {
    /// How soon a gone client must be gone from the chat, with room for a loaded test machine.
    static let promptly = Duration.seconds(5)

    @Test func aClientThatClosedAfterAFloodOfEmptyLinesLeavesAtOnce() async throws {
        try await TestServer.withServer { server in
            let bob = try await server.join("bob")
            let ghost = try await server.connect("ghost")
            _ = try await ghost.join(as: "ghosty")
            #expect(try await bob.nextLine() == "* ghosty joined #main")
            try await ghost.sendRaw([UInt8](repeating: UInt8(ascii: "\n"), count: 20_000))
            await ghost.close()
            let closedAt = ContinuousClock.now
            #expect(try await bob.nextLine(timeout: Self.promptly) == "* ghosty left #main")
            #expect(closedAt.duration(to: .now) < Self.promptly)
            try await bob.send("/whois ghosty")
            #expect(try await bob.nextLine() == "! No one called ghosty is online.")
        }
    }

    @Test func aSpambotThatClosedPostsNoMoreThanItsBurst() async throws {
        let burst = 40
        try await TestServer.withServer(.loopback(floodRate: 20, floodBurst: burst)) { server in
            let bob = try await server.join("bob")
            let bot = try await server.connect("bot")
            _ = try await bot.join(as: "spambot")
            #expect(try await bob.nextLine() == "* spambot joined #main")
            let startedAt = ContinuousClock.now
            // On a busy machine this write itself can take a while: the server reads the bot only at its flood rate.
            try await bot.sendRaw((0..<5_000).flatMap { Array("spam \($0)\n".utf8) })
            await bot.close()
            let closedAt = ContinuousClock.now
            var spam = 0
            var left: String?
            // Past the 15 s the check below allows, so a late notice shows as late rather than as missing.
            let deadline = ContinuousClock.now + .seconds(20)
            while left == nil, ContinuousClock.now < deadline {
                let line = try await bob.nextLine()
                if line.hasPrefix("<spambot> spam ") {
                    spam += 1
                } else if line.hasPrefix("* spambot left") {
                    left = line
                }
            }
            let noticedAfter = closedAt.duration(to: .now)
            #expect(left == "* spambot left #main")
            // Usually well under a second; 15 s (of a backlog of minutes) leaves room for a busy two-core machine.
            #expect(noticedAfter < .seconds(15), "the spambot was gone only after \(noticedAfter)")
            // Its burst, plus what its rate (20 a second) allowed until the server saw the close: never its backlog.
            let allowed = burst + 20 * (Int(startedAt.duration(to: .now).components.seconds) + 1)
            #expect(spam >= 1 && spam <= allowed, "\(spam) spam lines reached the room, \(allowed) allowed")
        }
    }

    @Test func ghostsDoNotHoldTheServersSlots() async throws {
        try await TestServer.withServer(.loopback(maxClients: 3)) { server in
            for index in 0..<3 {
                let ghost = try await server.connect("ghost \(index)")
                _ = try await ghost.join(as: "ghost\(index)")
                try await ghost.sendRaw((0..<2_000).flatMap { Array("boo \($0)\n".utf8) })
                await ghost.close()
            }
            // Every slot is free again within moments (usually well under a second; 15 s leaves room for a busy
            // two-core machine running the whole suite): a newcomer gets in.
            var joined = false
            let deadline = ContinuousClock.now + .seconds(15)
            while !joined, ContinuousClock.now < deadline {
                let newcomer = try await server.connect("newcomer")
                let greeting = try await newcomer.nextLine()
                if greeting.contains("full") {
                    await newcomer.close()
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
                try await newcomer.expectLine(containing: "Choose a nickname", maxSkipped: 0)
                try await newcomer.send("alice")
                try await newcomer.expectLine(containing: "Welcome to slashchat, alice!")
                joined = true
            }
            #expect(joined)
        }
    }
}
