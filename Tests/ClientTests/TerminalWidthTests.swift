import ChatCore
import ChatProtocol
import Testing

@Suite struct TerminalWidthTests {
    @Test(arguments: [
        ("a", 1),
        ("~", 1),
        ("é", 1),  // U+00E9, precomposed
        ("e\u{301}", 1),  // e + combining acute: the accent adds nothing
        ("ß", 1),
        ("日", 2),
        ("한", 2),
        ("Ａ", 2),  // fullwidth A
        ("🎉", 2),
        ("❤️", 2),  // U+2764 + VS16: shown as an emoji
        ("❤", 1),  // U+2764 alone: text presentation
        ("👍🏽", 2),
        ("👨‍👩‍👧", 2),
        ("\u{1}", 0),
        ("\u{9B}", 0),
    ])
    func measuresOneCharacter(_ character: Character, _ width: Int) {
        #expect(TerminalWidth.of(character) == width)
    }

    @Test(arguments: [
        ("", 0),
        ("hello", 5),
        ("日本語", 6),
        ("héllo", 5),
        ("he\u{301}llo", 5),
        ("a🎉b", 4),
        ("I ❤️ NY", 7),
        ("x\u{301}\u{302}\u{303}", 1),
    ])
    func measuresText(_ text: String, _ width: Int) {
        #expect(TerminalWidth.of(text) == width)
    }

    @Test func givesACombiningMarkOnItsOwnNoWidth() {
        #expect(TerminalWidth.of(Character("\u{301}")) == 0)
    }
}
