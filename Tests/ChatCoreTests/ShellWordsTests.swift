import ChatCore
import Testing

@Suite struct ShellWordsTests {
    @Test(
        arguments: [
            ("roll", ["roll"]),
            ("2d6 d20", ["2d6", "d20"]),
            ("  a   b  ", ["a", "b"]),
            ("a\tb \t c", ["a", "b", "c"]),
        ] as [(String, [String])]
    )
    func splitsOnRunsOfSpacesAndTabs(text: String, expected: [String]) throws {
        #expect(try ShellWords.split(text) == expected)
    }

    @Test(
        arguments: [
            ("'hello world' x", ["hello world", "x"]),
            (#""d20 + 3" 2d6"#, ["d20 + 3", "2d6"]),
            (#"ab'cd'"ef""#, ["abcdef"]),
            (#"'say "hi"'"#, [#"say "hi""#]),
            (#""it's""#, ["it's"]),
            ("'  spaced  '", ["  spaced  "]),
        ] as [(String, [String])]
    )
    func quotesGroupWords(text: String, expected: [String]) throws {
        #expect(try ShellWords.split(text) == expected)
    }

    @Test(
        arguments: [
            (#"a\ b"#, ["a b"]),
            (#"\"quoted\""#, [#""quoted""#]),
            (#"it\'s"#, ["it's"]),
            (#""a\"b""#, [#"a"b"#]),
            (#"'a\b'"#, [#"a\b"#]),
            (#"back\\slash"#, [#"back\slash"#]),
            (#"trailing\"#, [#"trailing\"#]),
        ] as [(String, [String])]
    )
    func backslashEscapesTheNextCharacterOutsideSingleQuotes(text: String, expected: [String]) throws {
        #expect(try ShellWords.split(text) == expected)
    }

    @Test(
        arguments: [
            ("$(touch x)", ["$(touch", "x)"]),
            ("$(whoami)", ["$(whoami)"]),
            ("\"$(touch x)\"", ["$(touch x)"]),
            ("`id`", ["`id`"]),
            ("a;rm -rf b", ["a;rm", "-rf", "b"]),
            ("a ; b", ["a", ";", "b"]),
            ("a|b", ["a|b"]),
            ("a && b", ["a", "&&", "b"]),
            ("> out", [">", "out"]),
            ("*", ["*"]),
            ("*.txt ?", ["*.txt", "?"]),
            ("~", ["~"]),
            ("~root/x", ["~root/x"]),
            ("$HOME ${PATH}", ["$HOME", "${PATH}"]),
            ("{a,b}", ["{a,b}"]),
            ("# not a comment", ["#", "not", "a", "comment"]),
        ] as [(String, [String])]
    )
    func keepsShellSyntaxAsLiteralText(text: String, expected: [String]) throws {
        #expect(try ShellWords.split(text) == expected)
    }

    @Test(arguments: ["", " ", "\t  \t"])
    func blankInputGivesNoWords(text: String) throws {
        #expect(try ShellWords.split(text) == [])
    }

    @Test(
        arguments: [
            ("''", [""]),
            (#""""#, [""]),
            ("a '' b", ["a", "", "b"]),
            (#"'' """#, ["", ""]),
        ] as [(String, [String])]
    )
    func emptyQuotesGiveAnEmptyWord(text: String, expected: [String]) throws {
        #expect(try ShellWords.split(text) == expected)
    }

    @Test(
        arguments: [
            ("'abc", "'"),
            ("ok 'abc", "'"),
            (#""abc"#, "\""),
            (#""it's"#, "\""),
            (#"'a" "b'"c"#, "\""),
            (#""a\""#, "\""),
        ] as [(String, Character)]
    )
    func unterminatedQuoteThrows(text: String, quote: Character) {
        let error = #expect(throws: ShellWords.UnterminatedQuote.self) {
            try ShellWords.split(text)
        }
        #expect(error?.quote == quote)
    }

    @Test func unterminatedQuoteDescribesItself() {
        let error = #expect(throws: ShellWords.UnterminatedQuote.self) {
            try ShellWords.split("it's")
        }
        #expect(error?.description == "unterminated ' quote")
    }

    /// Fuzzer finding: a quote (or a blank) followed by a combining mark formed one grapheme cluster with it and
    /// stopped being a quote, so `'\u{301}x'` opened a quote at its end and failed as unterminated.
    @Test(
        arguments: [
            ("'\u{301}x'", ["\u{301}x"]),
            ("\"\u{301}\" b", ["\u{301}", "b"]),
            ("a \u{301}b", ["a", "\u{301}b"]),
            (#"'.'\''' '\#u{301}"'"#, [".'", "\u{301}\""]),
        ] as [(String, [String])]
    )
    func readsQuotesAndBlanksScalarByScalar(text: String, expected: [String]) throws {
        let words = try ShellWords.split(text)
        #expect(words.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) })
    }
}
