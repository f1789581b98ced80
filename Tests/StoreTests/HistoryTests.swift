import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// Room history over TCP: replayed on joining, shown by `/history`, kept per room and across a restart.
@Suite struct HistoryTests {
    /// Alice says each of `lines` in her room; Bob, in the same room, receives them, so they are committed.
    private func say(_ lines: [String], by alice: LineClient, seenBy bob: LineClient) async throws {
        for line in lines {
            try await alice.send(line)
        }
        for line in lines {
            try await bob.expectLine(containing: "<alice> \(line)")
        }
    }

    @Test func replaysTheRoomToAJoinerPrefixedWithHistory() async throws {
        try await StoreFixture.withServer { server, _ in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("hello")
            try await clients[0].send("/me waves")
            #expect(try await clients[1].nextLine() == "<alice> hello")
            #expect(try await clients[1].nextLine() == "* alice waves")
            let carol = try await server.join("carol")
            #expect(try await carol.historyLines() == ["[History] <alice> hello", "[History] * alice waves"])
            // Live lines after the replay carry no prefix.
            try await clients[0].send("live now")
            #expect(try await carol.nextLine() == "<alice> live now")
        }
    }

    @Test func marksReplayedEventsAsHistoryInJSONMode() async throws {
        try await StoreFixture.withServer { server, _ in
            let clients = try await server.joinEveryone("alice", "bob")
            try await self.say(["hello"], by: clients[0], seenBy: clients[1])
            let carol = try await server.connect("carol")
            try await carol.send("/mode json")
            try await carol.send("carol")
            try await carol.expectLine(containing: "\"type\":\"welcome\"")
            let replayed = try await carol.expectLine(containing: "hello")
            let event = try WireFormat.decodeJSON(replayed)
            #expect(event.kind == .message)
            #expect(event.history == true)
            #expect(event.from == "alice")
            #expect(event.text == "hello")
            #expect(event.room == "#main")
            #expect(event.time != nil)

            try await clients[0].send("live")
            let live = try WireFormat.decodeJSON(try await carol.expectLine(containing: "live"))
            #expect(live.history != true)
        }
    }

    @Test func deliversNothingItCouldNotSaveAndTellsTheSender() async throws {
        try await StoreFixture.withServer { server, persistence in
            let clients = try await server.joinEveryone("alice", "bob")
            await persistence.store.close()
            try await clients[0].sendRaw("one\ntwo\n")
            for _ in 0..<2 {
                let error = try await clients[0].nextLine()
                #expect(error.hasPrefix("! Your message could not be saved, so it was not sent"))
            }
            try await clients[1].expectNoLine(within: .milliseconds(300))
        }
    }

    @Test func keepsNoRoomHistoryWhenToldNotTo() async throws {
        try await StoreFixture.withServer(keepsRoomHistory: false) { server, persistence in
            let clients = try await server.joinEveryone("alice", "bob")
            try await self.say(["not kept"], by: clients[0], seenBy: clients[1])
            let carol = try await server.join("carol")
            try await carol.expectNoLine(within: .milliseconds(200))
            try await carol.send("/history 5")
            #expect(try await carol.nextLine() == "! This server keeps no history.")
            #expect(try await persistence.store.recentMessages(in: "#main", limit: 10).isEmpty)
        }
    }

    @Test func replaysOnlyTheConfiguredNumberOfMessages() async throws {
        try await StoreFixture.withServer(historyOnJoin: 3) { server, _ in
            let clients = try await server.joinEveryone("alice", "bob")
            try await self.say((1...5).map { "m\($0)" }, by: clients[0], seenBy: clients[1])
            let carol = try await server.join("carol")
            #expect(try await carol.historyLines() == (3...5).map { "[History] <alice> m\($0)" })
        }
    }

    @Test func replaysNothingWhenHistoryOnJoinIsZero() async throws {
        try await StoreFixture.withServer(historyOnJoin: 0) { server, _ in
            let clients = try await server.joinEveryone("alice", "bob")
            try await self.say(["hello"], by: clients[0], seenBy: clients[1])
            let carol = try await server.join("carol")
            #expect(try await carol.historyLines() == [])
            try await carol.send("/history 1")
            #expect(try await carol.nextLine() == "[History] <alice> hello")
        }
    }

    /// Alice and Bob say one line in #main and one in #games, and both end up in #games.
    private func talkInTwoRooms(on server: TestServer) async throws -> (alice: LineClient, bob: LineClient) {
        let clients = try await server.joinEveryone("alice", "bob")
        let (alice, bob) = (clients[0], clients[1])
        try await self.say(["in main"], by: alice, seenBy: bob)
        try await alice.send("/join games")
        try await alice.expectLine(containing: "alice joined #games")
        try await bob.expectLine(containing: "alice left #main for #games")
        try await bob.send("/join games")
        try await bob.expectLine(containing: "bob joined #games")
        try await alice.expectLine(containing: "bob joined #games")
        try await self.say(["in games"], by: alice, seenBy: bob)
        return (alice, bob)
    }

    @Test func keepsEachRoomsHistoryToItself() async throws {
        try await StoreFixture.withServer { server, _ in
            let (_, bob) = try await self.talkInTwoRooms(on: server)
            let carol = try await server.join("carol")
            #expect(try await carol.historyLines() == ["[History] <alice> in main"])
            try await bob.send("/history 10")
            #expect(try await bob.historyLines() == ["[History] <alice> in games"])
        }
    }

    @Test func replaysARoomsHistoryOnJoiningIt() async throws {
        try await StoreFixture.withServer { server, _ in
            _ = try await self.talkInTwoRooms(on: server)
            let carol = try await server.join("carol")
            _ = try await carol.historyLines()
            try await carol.send("/join games")
            let answer = try await carol.linesBeforeNextCommand()
            #expect(answer.contains("* carol joined #games"))
            let replayed = answer.filter { $0.hasPrefix("[History] ") }
            #expect(!replayed.contains("[History] <alice> in main"))
            #expect(replayed == ["[History] <alice> in games"])
        }
    }

    @Test func showsMoreWithTheHistoryCommand() async throws {
        try await StoreFixture.withServer(historyOnJoin: 2) { server, _ in
            let clients = try await server.joinEveryone("alice", "bob")
            try await self.say((1...5).map { "m\($0)" }, by: clients[0], seenBy: clients[1])
            let carol = try await server.join("carol")
            #expect(try await carol.historyLines() == ["[History] <alice> m4", "[History] <alice> m5"])
            try await carol.send("/history 5")
            #expect(try await carol.historyLines() == (1...5).map { "[History] <alice> m\($0)" })
            try await carol.send("/history 3")
            #expect(try await carol.historyLines() == (3...5).map { "[History] <alice> m\($0)" })
            try await carol.send("/history")
            #expect(try await carol.historyLines() == (1...5).map { "[History] <alice> m\($0)" })
        }
    }

    @Test(arguments: ["/history 0", "/history x", "/history -3", "/history 2 3"])
    func refusesABadHistoryCount(_ command: String) async throws {
        try await StoreFixture.withServer { server, _ in
            let alice = try await server.join("alice")
            try await alice.send(command)
            let answer = try await alice.nextLine()
            #expect(answer.hasPrefix("! "))
            #expect(answer.contains("/history"))
        }
    }

    @Test func neverShowsAPrivateMessageToAThirdUser() async throws {
        try await StoreFixture.withServer { server, _ in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send("/msg bob psst secret plan")
            #expect(try await bob.nextLine() == "[PM from alice] psst secret plan")
            try await self.say(["public"], by: alice, seenBy: bob)
            let carol = try await server.join("carol")
            #expect(try await carol.historyLines() == ["[History] <alice> public"])
            try await carol.send("/history 200")
            let shown = try await carol.linesBeforeNextCommand()
            #expect(shown == ["[History] <alice> public"])
            #expect(!shown.contains { $0.contains("psst") })
        }
    }

    @Test func replaysAfterARestartOnTheSameDataDirectory() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await StoreFixture.withServer(in: directory) { server, _ in
                let clients = try await server.joinEveryone("alice", "bob")
                try await self.say(["before the restart"], by: clients[0], seenBy: clients[1])
            }
            try await StoreFixture.withServer(in: directory) { server, _ in
                let carol = try await server.join("carol")
                #expect(try await carol.historyLines() == ["[History] <alice> before the restart"])
            }
        }
    }
}
