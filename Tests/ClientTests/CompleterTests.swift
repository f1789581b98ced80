import ChatCore
import ChatEmoji
import ChatTerminal
import Testing

@Suite struct CompleterTests {
    private let completer = Completer(
        commands: ["who", "whois", "cowsay", "cowthink", "help"],
        nicknames: ["bob", "Alice", "alfred", "Bobby"]
    )

    @Test(arguments: [
        ("/co", ["/cowsay", "/cowthink"]),
        ("/wh", ["/who", "/whois"]),
        ("/WH", ["/who", "/whois"]),
        ("/", ["/cowsay", "/cowthink", "/help", "/who", "/whois"]),
        ("/zz", []),
    ])
    func completesCommandsAfterASlashAtTheStartOfTheLine(_ word: String, _ expected: [String]) {
        #expect(self.completer.candidates(for: word, isFirstWord: true) == expected)
    }

    @Test func offersNoCommandsAfterTheFirstWord() {
        #expect(self.completer.candidates(for: "/co", isFirstWord: false) == [])
    }

    @Test(arguments: [
        ("al", ["Alice", "alfred"]),
        ("AL", ["Alice", "alfred"]),
        ("bob", ["bob", "Bobby"]),
        ("c", []),
    ])
    func completesNicknamesIgnoringCase(_ word: String, _ expected: [String]) {
        #expect(Set(self.completer.candidates(for: word, isFirstWord: false)) == Set(expected))
        #expect(self.completer.candidates(for: word, isFirstWord: true).count == expected.count)
    }

    @Test func offersTheFavouriteEmojiFirst() {
        #expect(self.completer.candidates(for: ":ta", isFirstWord: false).first == ":tada:")
        #expect(self.completer.candidates(for: ":TA", isFirstWord: true).first == ":tada:")
        #expect(self.completer.candidates(for: ":fi", isFirstWord: false).first == ":fire:")
    }

    @Test func offersOtherEmojiShortestFirstAfterTheFavourites() {
        let candidates = self.completer.candidates(for: ":ta", isFirstWord: false)
        #expect(candidates.count > 1)
        #expect(candidates.allSatisfy { $0.hasPrefix(":ta") && $0.hasSuffix(":") })
        let others = candidates.dropFirst().map(\.count)
        #expect(others == others.sorted())
        #expect(Set(candidates).count == candidates.count, "no shortcode twice")
    }

    @Test func offersOnlyShortcodesTheEmojiTableKnows() {
        let table = EmojiTable.standard
        for candidate in self.completer.candidates(for: ":s", isFirstWord: false) {
            #expect(table.emoji(for: candidate.dropFirst().dropLast()) != nil, "\(candidate)")
        }
    }

    @Test func offersAtMostFiftyEmoji() {
        #expect(self.completer.candidates(for: ":s", isFirstWord: false).count == 50)
    }

    @Test func needsALetterAfterTheColonForEmoji() {
        #expect(self.completer.candidates(for: ":", isFirstWord: false) == [])
    }
}
