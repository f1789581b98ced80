import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// Room lines are committed and fanned out in batches, and join notices wait a moment to share a write. None of
/// that may reorder what anyone sees: these pin the order down.
@Suite struct DeliveryOrderTests {
    @Test func deliversABurstFromOneSenderInOrder() async throws {
        // Flood control off: 300 lines are more than a burst, and the point is the server's own pipeline.
        var configuration = ServerConfiguration.loopback()
        configuration.floodRate = 0
        try await TestServer.withServer(configuration) { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let lines = (1...300).map { "line \($0)" }
            // One write, so the server reads them all at once and posts them without waiting in between.
            try await clients[0].sendRaw(lines.map { $0 + "\n" }.joined())
            for line in lines {
                #expect(try await clients[1].nextLine() == "<alice> \(line)")
            }
        }
    }

    @Test func keepsMessagesBeforeTheCommandsTypedAfterThem() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].sendRaw("one\ntwo\n/nick alicia\nthree\n/me waves\n")
            #expect(try await clients[1].nextLine() == "<alice> one")
            #expect(try await clients[1].nextLine() == "<alice> two")
            #expect(try await clients[1].nextLine() == "* alice is now known as alicia")
            #expect(try await clients[1].nextLine() == "<alicia> three")
            #expect(try await clients[1].nextLine() == "* alicia waves")
        }
    }

    @Test func echoesAJSONSendersMessageBeforeAnsweringItsNextCommand() async throws {
        try await TestServer.withServer { server in
            let alice = try await server.connect("alice")
            try await alice.send("/mode json")
            try await alice.send("alice")
            try await alice.expectLine(containing: "\"type\":\"welcome\"")
            try await alice.sendRaw("hello\n/who\n")
            let echo = try WireFormat.decodeJSON(try await alice.nextLine())
            #expect(echo.kind == .message)
            #expect(echo.text == "hello")
            let who = try WireFormat.decodeJSON(try await alice.nextLine())
            #expect(who.text.contains("alice"))
        }
    }

    @Test func tellsTheRoomWhoLeftOnlyAfterTheirLastWords() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].sendRaw("bye all\n/quit\n")
            #expect(try await clients[1].nextLine() == "<alice> bye all")
            #expect(try await clients[1].nextLine() == "* alice left #main (quit)")
        }
    }

    @Test func announcesABurstOfJoinsOnlyToThoseAlreadyThere() async throws {
        try await TestServer.withServer { server in
            let alice = try await server.join("alice")
            // Bob and carol join within one notice window.
            let bob = try await server.join("bob")
            let carol = try await server.join("carol")
            #expect(try await alice.nextLine() == "* bob joined #main")
            #expect(try await alice.nextLine() == "* carol joined #main")
            #expect(try await bob.nextLine() == "* carol joined #main")
            try await carol.expectNoLine(within: .milliseconds(200))
            try await bob.expectNoLine(within: .zero)
        }
    }

    @Test func announcesANewcomerBeforeTheirFirstWords() async throws {
        try await TestServer.withServer { server in
            let alice = try await server.join("alice")
            let bob = try await server.connect("bob")
            try await bob.expectLine(containing: "Choose a nickname")
            try await bob.sendRaw("bob\nhi alice\n")
            #expect(try await alice.nextLine() == "* bob joined #main")
            #expect(try await alice.nextLine() == "<bob> hi alice")
        }
    }
}
