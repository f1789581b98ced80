import ChatCore
import ChatTesting
import Testing

/// An argument that names something (a nickname, a room) is refused when it holds a control character, an escape
/// sequence or a spoofing character, never silently cleaned into a different name; free text is still cleaned.
@Suite struct NameArgumentTests {
    static let quiet = Duration.milliseconds(250)
    static let refusal =
        "! Names cannot contain control characters, escape sequences or invisible formatting characters."

    @Test(arguments: [
        "/nick evil\u{1B}[2Jname",
        "/nick evil\u{07}",
        "/nick \u{1B}]0;title\u{07}evil",
        "/nick evil\u{202E}eman",
        "/nick?evil\u{1B}[2Jname/",
    ])
    func refusesARenameThatHeldControlCharactersAndKeepsTheOldName(typed: String) async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send(typed)
            #expect(try await alice.nextLine() == Self.refusal, "\(String(reflecting: typed))")
            try await bob.expectNoLine(within: Self.quiet)
            // Still alice: bob sees her next message under her old name.
            try await alice.send("still me")
            #expect(try await bob.nextLine() == "<alice> still me")
        }
    }

    @Test(arguments: [
        "/join ga\u{1B}[31mmes",
        "/msg bob\u{1B}[2J hello",
        "/whois bo\u{7F}b",
        "/ignore b\u{1B}[0mob",
        "/unignore bob\u{0}",
        "/msg \u{2066}bob\u{2069} hello",
    ])
    func refusesEveryOtherNameArgumentThatHeldControlCharacters(typed: String) async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send(typed)
            #expect(try await alice.nextLine() == Self.refusal, "\(String(reflecting: typed))")
            try await bob.expectNoLine(within: Self.quiet)
        }
    }

    @Test func refusesTheNameSlapIsGiven() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send("/slap b\u{202E}ob")
            #expect(try await alice.nextLine() == Self.refusal)
            try await bob.expectNoLine(within: Self.quiet)
        }
    }

    @Test func refusesANameInALegacyCommandInsideAMessage() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send("look \u{1B}[1m/nick?evil\u{1B}[2Jname/ here")
            #expect(try await bob.nextLine() == "<alice> look  here")
            #expect(try await alice.nextLine() == Self.refusal)
            try await bob.expectNoLine(within: Self.quiet)
        }
    }

    @Test func stillCleansFreeTextAfterAName() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send("/msg bob he\u{1B}[2Jllo \u{202E}there")
            #expect(try await bob.nextLine() == "[PM from alice] hello there")
            try await alice.send("/nick alice2")
            #expect(try await bob.nextLine() == "* alice is now known as alice2")
        }
    }
}
