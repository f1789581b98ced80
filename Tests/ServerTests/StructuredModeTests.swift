import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// `/mode json`: one ``ChatEvent`` per line, as the official client asks for before its nickname.
@Suite struct StructuredModeTests {
    /// Connects, asks for JSON before the nickname, joins, and returns the client with its welcome event.
    private func joinInJSON(_ nickname: String, on server: TestServer) async throws -> (LineClient, ChatEvent) {
        let client = try await server.connect(nickname)
        try await client.send("/mode json")
        try await client.send(nickname)
        // The greeting went out in plain text before the server read `/mode json`; JSON starts with the mode event.
        let first = try await client.expectLine(where: { $0.hasPrefix("{") }, described: "in JSON", maxSkipped: 2)
        let mode = try WireFormat.decodeJSON(first)
        #expect(mode.kind == .mode)
        #expect(mode.text == "json")
        let welcome = try await self.nextEvent(from: client)
        return (client, welcome)
    }

    private func nextEvent(from client: LineClient) async throws -> ChatEvent {
        let line = try await client.nextLine()
        do {
            return try WireFormat.decodeJSON(line)
        } catch {
            throw ExpectationFailure("\(client.name): not a JSON event: \(String(reflecting: line)) (\(error))")
        }
    }

    @Test func sendsJSONEventsFromTheWelcomeOn() async throws {
        try await TestServer.withServer { server in
            let (_, welcome) = try await self.joinInJSON("alice", on: server)
            #expect(welcome.kind == .welcome)
            #expect(welcome.to == "alice")
            #expect(welcome.room == "#main")
            #expect(welcome.text.contains("/help"))
        }
    }

    @Test func theWelcomeListsTheCommandsTheServerKnows() async throws {
        try await TestServer.withServer { server in
            let (_, welcome) = try await self.joinInJSON("alice", on: server)
            let commands = try #require(welcome.commands)
            #expect(Set(commands).isSuperset(of: ["help", "msg", "join", "who", "quit", "mode"]), "\(commands)")
            #expect(commands == server.server.registry.descriptors.map(\.name))
        }
    }

    @Test func echoesTheSendersOwnMessageInJSONOnly() async throws {
        try await TestServer.withServer { server in
            let (alice, _) = try await self.joinInJSON("alice", on: server)
            let bob = try await server.join("bob")
            let joined = try await self.nextEvent(from: alice)
            #expect(joined.kind == .notice)
            #expect(joined.text == "bob joined #main")

            try await alice.send("hello \u{1B}[1mworld")
            let echo = try await self.nextEvent(from: alice)
            #expect(echo.kind == .message)
            #expect(echo.from == "alice")
            #expect(echo.text == "hello world")
            #expect(echo.room == "#main")
            #expect(echo.time != nil)
            #expect(try await bob.nextLine() == "<alice> hello world")

            try await bob.send("hi alice")
            let message = try await self.nextEvent(from: alice)
            #expect(message.kind == .message)
            #expect(message.from == "bob")
            #expect(message.text == "hi alice")
            try await bob.expectNoLine(within: .milliseconds(200))
        }
    }

    @Test func reportsPrivateMessagesAndErrorsAsEvents() async throws {
        try await TestServer.withServer { server in
            let (alice, _) = try await self.joinInJSON("alice", on: server)
            let bob = try await server.join("bob")
            _ = try await self.nextEvent(from: alice)

            try await alice.send("/msg bob psst")
            let sent = try await self.nextEvent(from: alice)
            #expect(sent.kind == .privateMessage)
            #expect(sent.from == "alice")
            #expect(sent.to == "bob")
            #expect(sent.text == "psst")
            #expect(try await bob.nextLine() == "[PM from alice] psst")

            try await bob.send("/reply hey")
            let received = try await self.nextEvent(from: alice)
            #expect(received.kind == .privateMessage)
            #expect(received.from == "bob")
            #expect(received.to == nil)
            #expect(received.text == "hey")

            try await alice.send("/nosuchcommand")
            let error = try await self.nextEvent(from: alice)
            #expect(error.kind == .error)
            #expect(error.text.contains("/nosuchcommand"))

            try await alice.send("/me nods")
            let action = try await self.nextEvent(from: alice)
            #expect(action.kind == .action)
            #expect(action.from == "alice")
            #expect(action.text == "nods")
        }
    }

    @Test func switchesBackToPlainText() async throws {
        try await TestServer.withServer { server in
            let (alice, _) = try await self.joinInJSON("alice", on: server)
            try await alice.send("/mode plain")
            #expect(try await alice.nextLine() == "* plain")
            try await alice.send("/who")
            #expect(try await alice.nextLine() == "* #main (1): alice")
            try await alice.send("/mode xml")
            #expect(try await alice.nextLine().hasPrefix("! "))
        }
    }
}
