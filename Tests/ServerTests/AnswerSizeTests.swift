import ChatCore
import ChatTesting
import Testing

/// No answer and no line grows with the server: away messages are capped, long listings come a page at a time,
/// and the line cap holds for the text as decoded.
@Suite struct AnswerSizeTests {
    static let quiet = Duration.milliseconds(250)

    @Test func refusesAnAwayMessageOverTwoHundredCharacters() async throws {
        try await TestServer.withServer { server in
            let alice = try await server.join("alice")
            try await alice.send("/away " + String(repeating: "z", count: 201))
            #expect(try await alice.nextLine() == "! An away message has at most 200 characters.")
            try await alice.send("/away " + String(repeating: "z", count: 200))
            #expect(try await alice.nextLine() == "* You are marked as away: " + String(repeating: "z", count: 200))
        }
    }

    @Test func listsABigRoomAPageAtATime() async throws {
        try await TestServer.withServer { server in
            var clients: [LineClient] = []
            for index in 0..<55 {
                clients.append(try await server.join(index < 10 ? "user0\(index)" : "user\(index)"))
            }
            let asker = clients[54]
            try await asker.send("/who")
            let first = try await asker.nextLine()
            #expect(first.hasPrefix("* #main (55), page 1 of 2: user00, user01, "), "\(first)")
            #expect(first.hasSuffix("user49"), "\(first)")
            #expect(try await asker.nextLine() == "* More: /who 2")
            try await asker.send("/who 2")
            #expect(try await asker.nextLine() == "* #main (55), page 2 of 2: user50, user51, user52, user53, user54")
            try await asker.expectNoLine(within: Self.quiet)
            try await asker.send("/who 3")
            #expect(try await asker.nextLine() == "! There are 2 pages.")
        }
    }

    @Test func appliesTheLineCapToTheTextAsDecoded() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            // 2,000 invalid bytes are within the byte cap but decode to 6,000 bytes of U+FFFD.
            try await alice.sendRaw([UInt8](repeating: 0xFF, count: 2_000) + [0x0A])
            #expect(try await alice.nextLine() == "! That line was over 4096 bytes and was discarded.")
            try await bob.expectNoLine(within: Self.quiet)
            try await alice.sendRaw([UInt8](repeating: 0xFF, count: 1_000) + [0x0A])
            #expect(try await bob.nextLine() == "<alice> " + String(repeating: "\u{FFFD}", count: 1_000))
        }
    }
}
