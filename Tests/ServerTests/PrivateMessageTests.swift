import ChatCore
import ChatTesting
import Testing

/// Private messages stay private: none of a PM's text reaches the room, whichever form it is sent in.
@Suite struct PrivateMessageTests {
    static let quiet = Duration.milliseconds(250)

    @Test func aLegacyPrivateMessageInsideAMessageKeepsItsWholeTextPrivate() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("bob", "plainer", "carol")
            let (bob, plainer, carol) = (clients[0], clients[1], clients[2])
            try await bob.send("see /msg?plainer one/two/ rest")
            #expect(try await carol.nextLine() == "<bob> see  rest")
            #expect(try await plainer.nextLine() == "<bob> see  rest")
            #expect(try await plainer.nextLine() == "[PM from bob] one/two")
            try await carol.expectNoLine(within: Self.quiet)
        }
    }
}
