import ChatCore
import ChatEmoji
import ChatTesting
import Testing

/// Emoji shortcodes over TCP: `:tada:` becomes 🎉 in messages, actions and private messages; `/emoji` lists them.
@Suite struct EmojiExpansionTests {
    static let quiet = Duration.milliseconds(300)

    @Test(
        arguments: [
            SanitizingCase(":tada: party", shown: "<alice> 🎉 party"),
            SanitizingCase(":+1:", shown: "<alice> 👍"),
            SanitizingCase("ok :thumbsup:", shown: "<alice> ok 👍"),
            SanitizingCase(":TADA::tada:", shown: "<alice> 🎉🎉"),
            SanitizingCase("at 10:30 :tada:", shown: "<alice> at 10:30 🎉"),
            SanitizingCase(":foo: stays", shown: "<alice> :foo: stays"),
            SanitizingCase("a : b :: c", shown: "<alice> a : b :: c"),
        ]
    )
    func expandsShortcodesInRoomMessages(_ message: SanitizingCase) async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            try await clients[0].send(message.sent)
            #expect(try await clients[1].nextLine() == message.shown)
            #expect(try await clients[2].nextLine() == message.shown)
            try await clients[0].expectNoLine(within: Self.quiet)
        }
    }

    @Test func expandsShortcodesInActions() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/me :tada: celebrates :foo:")
            #expect(try await clients[1].nextLine() == "* alice 🎉 celebrates :foo:")
        }
    }

    @Test func expandsShortcodesInPrivateMessages() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            let heart = try #require(EmojiTable.standard.emoji(for: "heart"))
            try await clients[0].send("/msg bob thanks :heart: :+1:")
            #expect(try await clients[1].nextLine() == "[PM from alice] thanks \(heart) 👍")
            try await clients[1].send("/reply :tada:")
            #expect(try await clients[0].nextLine() == "[PM from bob] 🎉")
            try await clients[2].expectNoLine(within: Self.quiet)
        }
    }

    @Test func listsMatchingShortcodesWithEmojiCommand() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let heart = try #require(EmojiTable.standard.emoji(for: "heart"))
            try await clients[0].send("/emoji heart")
            let lines = try await clients[0].nextLinesUntilQuiet()
            #expect(lines.first?.hasPrefix(#"* Emoji shortcodes containing "heart": "#) == true, "\(lines)")
            #expect(lines.contains { $0.contains(":heart: \(heart)") }, "\(lines)")
            #expect(lines.allSatisfy { $0.hasPrefix("* ") }, "\(lines)")
            try await clients[1].expectNoLine(within: .zero)

            try await clients[0].send("/emoji nosuchemojiatall")
            #expect(try await clients[0].nextLine().hasPrefix("! "))
        }
    }

    @Test func pagesThroughTheWholeListWithEmojiCommand() async throws {
        try await FunSetup().withServer { server in
            let alice = try await server.join("alice")
            try await alice.send("/emoji")
            let first = try await alice.nextLinesUntilQuiet()
            #expect(first.count <= 12, "one page of at most 40 shortcodes, 4 a line: \(first)")
            #expect(first.last == "* More: /emoji 2", "\(first)")
            try await alice.send("/emoji 2")
            let second = try await alice.nextLinesUntilQuiet()
            #expect(second.first?.contains("page 2 of") == true, "\(second)")
            #expect(second.dropFirst().first != first.dropFirst().first)
        }
    }

    @Test(arguments: ["emoji -help", "  EMOJI -HELP  "])
    func answersEmojiHelpTypedAsAMessageWithoutBroadcastingIt(_ typed: String) async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send(typed)
            let notice = try await clients[0].nextLine()
            #expect(notice.hasPrefix("* "))
            #expect(notice.contains("/emoji"))
            try await clients[1].expectNoLine(within: Self.quiet)
        }
    }

    @Test func sendsTheTextThenRunsACommandEmbeddedInAMessage() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send(":tada: /cowsay?Hello World/")
            let cow = CowsayRenderer.render("Hello World")
            #expect(try await bob.nextLine() == "<alice> 🎉")
            #expect(try await bob.expectBlock(header: "alice ran /cowsay Hello World", bodyLines: cow.count) == cow)
            #expect(try await alice.expectBlock(header: "alice ran /cowsay Hello World", bodyLines: cow.count) == cow)
        }
    }

    @Test func runsAnEmbeddedCommandThatComesAfterAPath() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send(":tada: see /usr/share/doc/ /cowsay?Hi/")
            let cow = CowsayRenderer.render("Hi")
            #expect(try await clients[1].nextLine() == "<alice> 🎉 see /usr/share/doc/")
            #expect(try await clients[1].expectBlock(header: "alice ran /cowsay Hi", bodyLines: cow.count) == cow)
        }
    }

    @Test func leavesAPathInAMessageAsText() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send(":tada: see /usr/share/doc/ and /nosuch?x/")
            #expect(try await clients[1].nextLine() == "<alice> 🎉 see /usr/share/doc/ and /nosuch?x/")
            try await clients[1].expectNoLine(within: Self.quiet)
        }
    }
}
