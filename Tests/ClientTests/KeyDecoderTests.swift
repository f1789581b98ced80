import ChatCore
import ChatTerminal
import Testing

@Suite struct KeyDecoderTests {
    /// Feeds `bytes` one call at a time, the way a slow terminal (or a split `read`) delivers them.
    private static func decodeByteByByte(_ bytes: [UInt8]) -> (keys: [Key], partial: [[Key]]) {
        var decoder = KeyDecoder()
        var keys: [Key] = []
        var partial: [[Key]] = []
        for byte in bytes {
            let decoded = decoder.feed([byte])
            partial.append(decoded)
            keys += decoded
        }
        return (keys, partial)
    }

    private static func decode(_ bytes: [UInt8]) -> [Key] {
        var decoder = KeyDecoder()
        return decoder.feed(bytes)
    }

    @Test func decodesEveryPrintableASCIICharacterAsItself() {
        let printable = (UInt8(0x20)...UInt8(0x7E)).map { $0 }
        let expected = printable.map { Key.character(Character(Unicode.Scalar($0))) }
        #expect(Self.decode(printable) == expected)
    }

    @Test func decodesSeveralKeysFromOneChunk() {
        #expect(Self.decode(Array("hi\r".utf8)) == [.character("h"), .character("i"), .enter])
    }

    @Test(arguments: ["é", "日", "🎉", "ß", "€"])
    func decodesAMultiByteCharacterWhole(_ character: String) {
        #expect(Self.decode(Array(character.utf8)) == [.character(Character(character))])
    }

    @Test(arguments: ["é", "日", "🎉"])
    func decodesAMultiByteCharacterSplitByteByByte(_ character: String) {
        let (keys, partial) = Self.decodeByteByByte(Array(character.utf8))
        #expect(keys == [.character(Character(character))])
        #expect(partial.dropLast().allSatisfy { $0.isEmpty }, "nothing may come out before the last byte")
    }

    @Test(arguments: [
        KeyCase(bytes: [0x0D], .enter),
        KeyCase(bytes: [0x0A], .enter),
        KeyCase(bytes: [0x7F], .backspace),
        KeyCase(bytes: [0x08], .backspace),
        KeyCase(bytes: [0x09], .tab),
        KeyCase(bytes: [0x01], .control("a")),
        KeyCase(bytes: [0x05], .control("e")),
        KeyCase(bytes: [0x15], .control("u")),
        KeyCase(bytes: [0x0B], .control("k")),
        KeyCase(bytes: [0x17], .control("w")),
        KeyCase(bytes: [0x03], .control("c")),
        KeyCase(bytes: [0x04], .control("d")),
        KeyCase(bytes: [0x0C], .control("l")),
    ])
    func decodesEditingAndControlKeys(_ testCase: KeyCase) {
        #expect(Self.decode(testCase.bytes) == testCase.keys)
    }

    @Test(arguments: [
        KeyCase("\u{1B}[A", .up),
        KeyCase("\u{1B}[B", .down),
        KeyCase("\u{1B}[C", .right),
        KeyCase("\u{1B}[D", .left),
        KeyCase("\u{1B}OA", .up),
        KeyCase("\u{1B}OB", .down),
        KeyCase("\u{1B}OC", .right),
        KeyCase("\u{1B}OD", .left),
        KeyCase("\u{1B}[H", .home),
        KeyCase("\u{1B}[F", .end),
        KeyCase("\u{1B}OH", .home),
        KeyCase("\u{1B}OF", .end),
        KeyCase("\u{1B}[1~", .home),
        KeyCase("\u{1B}[4~", .end),
        KeyCase("\u{1B}[7~", .home),
        KeyCase("\u{1B}[8~", .end),
        KeyCase("\u{1B}[3~", .delete),
        KeyCase("\u{1B}[1;5C", .right),
        KeyCase("a\u{1B}[Db", .character("a"), .left, .character("b")),
    ])
    func decodesEscapeSequences(_ testCase: KeyCase) {
        #expect(Self.decode(testCase.bytes) == testCase.keys)
    }

    @Test(arguments: ["\u{1B}[3~", "\u{1B}[A", "\u{1B}OD", "\u{1B}[1;5C"])
    func decodesAnEscapeSequenceSplitAcrossFeeds(_ sequence: String) {
        let (keys, partial) = Self.decodeByteByByte(Array(sequence.utf8))
        #expect(keys == Self.decode(Array(sequence.utf8)))
        #expect(keys.count == 1)
        #expect(partial.dropLast().allSatisfy { $0.isEmpty }, "nothing may come out before the final byte")
    }

    @Test func keepsTextAroundAnEscapeSequenceSplitBetweenTwoFeeds() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("x\u{1B}[".utf8)) == [.character("x")])
        #expect(decoder.feed(Array("Dy".utf8)) == [.left, .character("y")])
    }

    @Test(arguments: [
        "\u{1B}[Z",  // Shift-Tab
        "\u{1B}[15~",  // F5
        "\u{1B}OP",  // F1
        "\u{1B}[200~",  // bracketed paste start
        "\u{1B}[2~",  // Insert
        "\u{1B}[5~",  // Page Up
        "\u{1B}x",  // Alt-x
        "\u{1B}[?1;2c",  // a device attributes report
    ])
    func producesNoCharacterForAnUnknownSequence(_ sequence: String) {
        let keys = Self.decode(Array(sequence.utf8))
        #expect(!keys.contains { if case .character = $0 { true } else { false } })
        #expect(Self.decodeByteByByte(Array(sequence.utf8)).keys == keys)
    }

    @Test func producesNoCharacterForAnAltArrowSentAsTwoEscapes() {
        // rxvt, and iTerm2 or macOS Terminal with "Option as Meta", send Alt-Up as ESC ESC [ A.
        let keys = Self.decode(Array("\u{1B}\u{1B}[A".utf8))
        #expect(!keys.contains { if case .character = $0 { true } else { false } }, "got \(keys)")
    }

    @Test func neverInsertsALoneEscape() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]) == [])
        #expect(decoder.feed([0x1B]) == [])
        let later = decoder.feed(Array("ab".utf8))
        #expect(!later.contains(.character("\u{1B}")))
        #expect(later.last == .character("b"))
    }

    @Test func dropsStrayContinuationAndInvalidBytes() {
        #expect(Self.decode([0x80, 0xBF, 0xFF, UInt8(ascii: "a")]) == [.character("a")])
    }

    @Test func givesUpOnAnEscapeSequenceThatNeverEnds() {
        var decoder = KeyDecoder()
        let endless = [0x1B, UInt8(ascii: "[")] + Array(repeating: UInt8(ascii: "1"), count: 20)
        #expect(decoder.feed(endless) == [])
        // Its final byte ends it without a key; the next key is itself again.
        #expect(decoder.feed(Array("q".utf8)) == [])
        #expect(decoder.feed(Array("a".utf8)) == [.character("a")])
    }

    @Test func enterOrCtrlCGetsThroughAnUnfinishedEscapeSequence() {
        var decoder = KeyDecoder()
        let endless = [0x1B, UInt8(ascii: "[")] + Array(repeating: UInt8(ascii: "1"), count: 20)
        #expect(decoder.feed(endless) == [])
        #expect(decoder.feed([0x0D]) == [.enter])
        #expect(Self.decode(Array("\u{1B}[12\u{03}x".utf8)) == [.control("c"), .character("x")])
    }

    /// Fuzzer finding: a sequence longer than the buffer leaked its tail as typed text when it arrived in pieces
    /// (`;1;1…H` instead of nothing), while the same bytes in one read gave `.home`.
    @Test func decodesALongSequenceTheSameHoweverItIsSplit() {
        let parameters = Array(repeating: Array("1;".utf8), count: 12).flatMap { $0 }
        let long = Array("\u{1B}[".utf8) + parameters + Array("Hx".utf8)
        let whole = Self.decode(long)
        #expect(whole == [.character("x")])
        #expect(Self.decodeByteByByte(long).keys == whole)
        var decoder = KeyDecoder()
        #expect(decoder.feed(long[..<10]) + decoder.feed(long[10...]) == whole)
    }

    @Test func keepsASequenceOfExactlyTheMaximumLength() {
        // ESC, `[` and 14 parameter bytes: 16 bytes before the final one.
        let sequence = Array("\u{1B}[".utf8) + Array(repeating: UInt8(ascii: "1"), count: 13) + Array(";C".utf8)
        #expect(sequence.count == KeyDecoder.maximumSequenceLength + 1)
        #expect(Self.decode(sequence) == [.right])
        #expect(Self.decodeByteByByte(sequence).keys == [.right])
    }

    /// Fuzzer finding: U+009B (the 8-bit CSI) typed as UTF-8 came out as a character and would land in the line.
    @Test(arguments: [[0xC2, 0x9B], [0xC2, 0x80], [0xC2, 0x9F], [0xC2, 0x85]] as [[UInt8]])
    func dropsC1ControlsSentAsUTF8(_ bytes: [UInt8]) {
        #expect(Self.decode(Array("a".utf8) + bytes + Array("b".utf8)) == [.character("a"), .character("b")])
    }
}
