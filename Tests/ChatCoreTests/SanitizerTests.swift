import ChatCore
import ChatProtocol
import NIOCore
import Testing

@Suite struct SanitizerTests {
    /// C0 without TAB, DEL, and C1.
    static let controlValues: [UInt32] = Array(0x00...0x08) + Array(0x0A...0x1F) + [0x7F] + Array(0x80...0x9F)

    @Test(arguments: [
        "hello world",
        "",
        "tab\tseparated\tcolumns",
        "\t",
        "emoji 😀👍🏽 and flags 🇫🇷",
        "family 👨‍👩‍👧‍👦 joined",
        "accents: café, naïve, Ærø, 日本語",
        "brackets [31m and ]0; without ESC",
        "a backslash \\ and a caret ^",
    ])
    func leavesPrintableTextUnchanged(text: String) {
        #expect(Sanitizer.clean(text) == text)
        #expect(!Sanitizer.containsControl(text))
    }

    @Test(arguments: SanitizerTests.controlValues)
    func removesEveryControlCharacterExceptTab(value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        let text = "a" + String(Character(scalar)) + "b"
        #expect(Sanitizer.isControl(scalar))
        #expect(Sanitizer.containsControl(text))
        // C1 string and sequence introducers take what follows with them; every other control goes alone.
        let introducers: Set<UInt32> = [0x1B, 0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F]
        if !introducers.contains(value) {
            #expect(Sanitizer.clean(text) == "ab")
        }
        #expect(!Sanitizer.containsControl(Sanitizer.clean(text)))
    }

    @Test(arguments: [0x09, 0x20, 0x41, 0x7E, 0xA0, 0xE9, 0x1F600] as [UInt32])
    func doesNotCountTabOrPrintableCharactersAsControls(value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        #expect(!Sanitizer.isControl(scalar))
    }

    @Test(arguments: [
        ("bell\u{07}", "bell"),
        ("nul\u{00}byte", "nulbyte"),
        ("back\u{08}space", "backspace"),
        ("line\rreturn", "linereturn"),
        ("carriage return at end\r", "carriage return at end"),
        ("new\nline", "newline"),
        ("vertical\u{0B}tab form\u{0C}feed", "verticaltab formfeed"),
        ("delete\u{7F}d", "deleted"),
        ("C1 NEL\u{85} and \u{80}PAD", "C1 NEL and PAD"),
        ("keeps\ttab but not\u{01}SOH", "keeps\ttab but notSOH"),
    ])
    func removesSingleControlCharacters(input: String, expected: String) {
        #expect(Sanitizer.clean(input) == expected)
    }

    @Test(arguments: [
        ("\u{1B}[31mred\u{1B}[0m", "red"),
        ("before\u{1B}[2Jafter", "beforeafter"),
        ("\u{1B}[1;31;40mbold\u{1B}[m", "bold"),
        ("cursor\u{1B}[10;20Hmoved", "cursormoved"),
        ("private\u{1B}[?25lmode", "privatemode"),
        ("\u{1B}]0;title\u{07}text", "text"),
        ("\u{1B}]0;title\u{1B}\\text", "text"),
        ("\u{1B}]8;;http://example.com\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
        ("\u{1B}Pq#0;2;0;0;0\u{1B}\\after DCS", "after DCS"),
        ("\u{1B}_application\u{1B}\\APC", "APC"),
        ("\u{1B}^privacy\u{07}PM", "PM"),
        ("\u{1B}Xstart of string\u{1B}\\SOS", "SOS"),
        ("reset\u{1B}cdone", "resetdone"),
        ("save\u{1B}7restore\u{1B}8", "saverestore"),
        ("charset\u{1B}(Bswitch", "charsetswitch"),
        ("\u{1B}\u{1B}[31mdouble escape", "double escape"),
        ("\u{9B}31mred", "red"),
        ("\u{9B}2Jclear", "clear"),
        ("\u{9D}0;title\u{9C}text", "text"),
        ("\u{9D}0;title\u{07}text", "text"),
        ("\u{90}device control\u{9C}DCS", "DCS"),
        ("trailing escape\u{1B}", "trailing escape"),
        ("trailing CSI\u{1B}[31", "trailing CSI"),
        ("unterminated title\u{1B}]0;forever", "unterminated title"),
    ])
    func removesWholeEscapeSequences(input: String, expected: String) {
        #expect(Sanitizer.clean(input) == expected)
    }

    @Test func keepsAPrintableNonASCIICharacterAfterALoneEscape() {
        #expect(Sanitizer.clean("x\u{1B}é") == "xé")
    }

    @Test(arguments: [
        ([0x68, 0x69, 0xFF, 0x21] as [UInt8], "hi\u{FFFD}!"),
        ([0xC3] as [UInt8], "\u{FFFD}"),
        ([0x61, 0xC3, 0x28, 0x62] as [UInt8], "a\u{FFFD}(b"),
        ([0xED, 0xA0, 0x80] as [UInt8], "\u{FFFD}\u{FFFD}\u{FFFD}"),
        ([0xC3, 0xA9, 0x74, 0xC3, 0xA9] as [UInt8], "été"),
        ([0xF0, 0x9F, 0x98, 0x80] as [UInt8], "😀"),
        ([0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x72, 0x65, 0x64] as [UInt8], "red"),
        ([0x61, 0x0D, 0x62, 0x09, 0x63] as [UInt8], "ab\tc"),
        ([0xC2, 0x9B, 0x33, 0x31, 0x6D, 0x78] as [UInt8], "x"),
        ([0x61, 0x9B, 0x62] as [UInt8], "a\u{FFFD}b"),
    ])
    func decodesBytesAsUTF8ReplacingInvalidSequences(bytes: [UInt8], expected: String) {
        #expect(Sanitizer.text(from: ByteBuffer(bytes: bytes)) == expected)
    }

    @Test func decodesOnlyTheReadableBytesOfABuffer() {
        var buffer = ByteBuffer(string: "skip|keep")
        buffer.moveReaderIndex(forwardBy: 5)
        #expect(Sanitizer.text(from: buffer) == "keep")
    }

    @Test func cleaningTwiceChangesNothingMore() {
        let dirty = "\u{1B}[31m<\u{07}bob\u{1B}]0;x\u{07}>\r hi\u{9B}1m\u{7F}"
        let once = Sanitizer.clean(dirty)
        #expect(once == "<bob> hi")
        #expect(Sanitizer.clean(once) == once)
    }

    /// The exact spoofing set the README documents.
    static let spoofingValues: [UInt32] =
        Array(0x202A...0x202E) + Array(0x2066...0x2069) + [0x200E, 0x200F, 0x061C, 0x200B] + Array(0x2060...0x2064)
        + [0xFEFF]

    @Test(arguments: Self.spoofingValues)
    func removesBidiAndInvisibleSpoofingCharacters(value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        let text = "abc" + String(Character(scalar)) + "def"
        #expect(Sanitizer.isSpoofing(scalar))
        #expect(Sanitizer.clean(text) == "abcdef")
        #expect(Sanitizer.containsControl(text))
    }

    @Test func trojanSourceReadsAsWhatItSays() {
        // "Trojan Source": an override makes "evil" display as "live" on a bidi-aware terminal.
        #expect(Sanitizer.clean("say \u{202E}live\u{202C} now") == "say live now")
        #expect(Sanitizer.clean("\u{2067}isolated\u{2069}") == "isolated")
    }

    @Test(arguments: [
        "👨‍👩‍👧",  // ZWJ sequence
        "❤️",  // variation selector 16
        "☺︎",  // variation selector 15
        "می‌خواهم",  // Persian with a zero-width non-joiner
        "🏴󠁧󠁢󠁳󠁣󠁴󠁿",  // a subdivision flag: tag characters
    ])
    func keepsWhatEmojiAndScriptsNeed(text: String) {
        #expect(Sanitizer.clean(text) == text)
    }

    @Test func marksEachRemovalSoNamesCanBeRefused() {
        let marked = Sanitizer.markingRemovals("a\u{1B}[2Jb\u{07}c\u{202E}d e")
        #expect(marked == "a\u{1A}b\u{1A}c\u{1A}d e")
        #expect(Sanitizer.removingMarkers(marked) == Sanitizer.clean("a\u{1B}[2Jb\u{07}c\u{202E}d e"))
        #expect(Sanitizer.markingRemovals("plain text") == "plain text")
        // A SUB in the input is itself removed, so a marker can only ever mean "removed here".
        #expect(Sanitizer.markingRemovals("x\u{1A}y") == "x\u{1A}y")
        #expect(Sanitizer.clean("x\u{1A}y") == "xy")
    }
}
