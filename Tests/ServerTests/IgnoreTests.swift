import ChatCore
import ChatTesting
import Testing

/// Ignoring someone hides them entirely, comings and goings included, and the list is bounded.
@Suite struct IgnoreTests {
    static let quiet = Duration.milliseconds(300)

    @Test func hidesTheJoinsLeavesAndRenamesOfSomeoneIgnored() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "carol")
            let (alice, carol) = (clients[0], clients[1])
            try await alice.send("/ignore troll")
            try await alice.expectLine(containing: "You are now ignoring troll")
            let troll = try await server.join("troll")
            #expect(try await carol.nextLine() == "* troll joined #main")
            try await troll.send("/nick troll2")
            #expect(try await carol.nextLine() == "* troll is now known as troll2")
            try await troll.send("/join elsewhere")
            #expect(try await carol.nextLine() == "* troll2 left #main for #elsewhere")
            try await troll.send("/join main")
            #expect(try await carol.nextLine() == "* troll2 joined #main")
            try await troll.send("/quit")
            #expect(try await carol.nextLine() == "* troll2 left #main (quit)")
            // alice saw none of it (the ignore followed the rename).
            try await alice.expectNoLine(within: Self.quiet)
        }
    }

    @Test func capsTheIgnoreListAtAHundred() async throws {
        try await TestServer.withServer(.loopback(floodRate: 0)) { server in
            let alice = try await server.join("alice")
            try await alice.sendRaw((0..<ChatHub.maximumIgnored).map { "/ignore someone\($0)\n" }.joined())
            for index in 0..<ChatHub.maximumIgnored {
                try await alice.expectLine(containing: "You are now ignoring someone\(index);", maxSkipped: 0)
            }
            try await alice.send("/ignore onemore")
            #expect(
                try await alice.nextLine()
                    == "! You are ignoring 100 people, the most there can be; /unignore someone first."
            )
            try await alice.send("/unignore someone0")
            try await alice.expectLine(containing: "no longer ignoring someone0")
            try await alice.send("/ignore onemore")
            try await alice.expectLine(containing: "You are now ignoring onemore")
        }
    }
}
