import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// Input a well-behaved client would not send: long lines, broken UTF-8, terminal control sequences.
@Suite struct BadInputTests {
    static let quiet = Duration.milliseconds(250)

    @Test(arguments: [4000, LineDecoder.maximumLineLength])
    func deliversALongLineIntact(length: Int) async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            let text = String((0..<length).map { index in Character(UnicodeScalar(UInt8(97 + index % 26))) })
            try await alice.send(text)
            let received = try await bob.nextLine()
            #expect(received.utf8.count == length + "<alice> ".utf8.count)
            #expect(received == "<alice> " + text)
            try await alice.expectNoLine(within: Self.quiet)
        }
    }

    @Test(arguments: [LineDecoder.maximumLineLength + 1, 5000])
    func rejectsAnOverlongLineButKeepsTheConnection(length: Int) async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send(String(repeating: "x", count: length))
            let error = try await alice.nextLine()
            #expect(error.hasPrefix("! "))
            #expect(error.contains("\(LineDecoder.maximumLineLength)"))
            try await alice.send("still here")
            #expect(try await bob.nextLine() == "<alice> still here")
            try await alice.expectNoLine(within: Self.quiet)
        }
    }

    @Test func rejectsAHugeLineWithoutANewlineAndReadsTheNextOne() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 10 * 1024)
            for _ in 0..<10 {
                try await alice.sendRaw(chunk)
            }
            let error = try await alice.nextLine()
            #expect(error.hasPrefix("! "))
            // The rest of the over-long line, up to its newline, is discarded; the line after it is read normally.
            try await alice.sendRaw("tail of the long line\nthe next line\n")
            #expect(try await bob.nextLine() == "<alice> the next line")
            try await alice.expectNoLine(within: Self.quiet)
            try await bob.expectNoLine(within: .zero)
        }
    }

    @Test func rejectsAnOverlongNickname() async throws {
        try await TestServer.withServer { server in
            let client = try await server.connect("client")
            try await client.expectLine(containing: "Choose a nickname")
            try await client.send(String(repeating: "n", count: 6000))
            #expect(try await client.nextLine().hasPrefix("! "))
            try await client.send("alice")
            try await client.expectLine(containing: "Welcome to slashchat, alice!")
        }
    }

    @Test func replacesInvalidUTF8WithTheReplacementCharacter() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            // A stray continuation byte, a truncated two-byte sequence, an overlong encoding, and valid "é".
            let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0xC3, 0x63, 0xC0, 0xAF, 0x64, 0xC3, 0xA9, 0x0A]
            try await alice.sendRaw(bytes)
            let received = try await bob.nextLine()
            #expect(received == "<alice> a\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}dé")
            #expect(bob.violations.isEmpty)
        }
    }

    @Test(arguments: [
        SanitizingCase("\u{1B}[31mred\u{1B}[0m text", shown: "red text"),
        SanitizingCase("ding\u{07}dong", shown: "dingdong"),
        SanitizingCase("over\rwrite", shown: "overwrite"),
        SanitizingCase("\u{1B}]0;pwned\u{07}title", shown: "title"),
        SanitizingCase("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\ end", shown: "link end"),
        SanitizingCase("\u{1B}[2J\u{1B}[Hclear", shown: "clear"),
        SanitizingCase("\u{9B}2Jc1 csi", shown: "c1 csi"),
        SanitizingCase("next\u{85}line\u{90}dcs\u{9C} done", shown: "nextline done"),
        SanitizingCase("x\u{1B}cy", shown: "xy"),
        SanitizingCase("nul\u{0}back\u{8}space\u{7F}", shown: "nulbackspace"),
        SanitizingCase("tab\tkept", shown: "tab\tkept"),
    ])
    func stripsControlCharactersBeforeOthersSeeThem(sample: SanitizingCase) async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send(sample.sent)
            let received = try await bob.nextLine()
            #expect(received == "<alice> " + sample.shown, "got \(String(reflecting: received))")
        }
    }

    @Test func dropsALineThatIsNothingButControlSequences() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send("\u{1B}[2J\u{1B}[H\u{07}")
            try await alice.send("after")
            #expect(try await bob.nextLine() == "<alice> after")
        }
    }

    @Test func stripsControlCharactersFromActionsAndPrivateMessages() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send("/me \u{1B}[5mblinks\u{07}")
            #expect(try await bob.nextLine() == "* alice blinks")
            try await alice.send("/msg bob \u{1B}]0;owned\u{07}secret\r")
            #expect(try await bob.nextLine() == "[PM from alice] secret")
            try await alice.send("/away \u{1B}[31mgone")
            try await alice.expectLine(containing: "gone")
            try await bob.send("/whois alice")
            #expect(try await bob.nextLine().hasSuffix(", away: gone"))
        }
    }

    @Test func deliversAFinalLineWithoutNewlineBeforeTheLeaveNotice() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            // The close right behind the bytes: the server may read the line and the end of the stream together.
            try await alice.sendRaw("last words")
            await alice.close()
            #expect(try await bob.nextLine() == "<alice> last words")
            #expect(try await bob.nextLine() == "* alice left #main")
        }
    }
}
