import NIOCore
import Testing

@testable import ChatBench

@Suite struct MessageTokenTests {
    /// A token as a receiver sees it: the line without its newline.
    private func line(sender: Int = 3, sequence: Int = 17, sentAt: UInt64 = 123_456_789, size: Int = 64) -> ByteBuffer {
        var buffer = MessageToken.make(sender: sender, sequence: sequence, sentAt: sentAt, size: size)
        buffer.moveWriterIndex(to: buffer.writerIndex - 1)
        return buffer
    }

    private func parse(_ text: ByteBuffer, size: Int = 64) -> MessageToken.Parsed {
        MessageToken.parse(text.readableBytesView, expectedSize: size)
    }

    @Test(arguments: [48, 64, 100, 512, 4000])
    func makeProducesExactlySizeBytesPlusNewline(size: Int) {
        let message = MessageToken.make(sender: 9, sequence: 999, sentAt: 9_876_543_210_123, size: size)
        let bytes = Array(message.readableBytesView)
        #expect(bytes.count == size + 1)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(!bytes.dropLast().contains(UInt8(ascii: "\n")))
        #expect(bytes.starts(with: Array("~cb~9~999~9876543210123~".utf8)))
        #expect(bytes.dropFirst(24).dropLast().allSatisfy { $0 == UInt8(ascii: "x") })
    }

    @Test(arguments: [
        (0, 0, UInt64(0)),
        (3, 17, UInt64(123_456_789)),
        (99, 123_456, UInt64(9_876_543_210_123)),
        (7, 1, UInt64(999_999_999_999_999_999)),
    ])
    func parseRoundTripsSenderSequenceAndTime(sender: Int, sequence: Int, sentAt: UInt64) {
        let text = self.line(sender: sender, sequence: sequence, sentAt: sentAt)
        #expect(self.parse(text) == .token(sender: sender, sequence: sequence, sentAt: sentAt))
    }

    @Test func parseFindsTheTokenAfterANicknamePrefix() {
        var text = ByteBuffer(string: "<bxyzn3> ")
        text.writeImmutableBuffer(self.line())
        #expect(self.parse(text) == .token(sender: 3, sequence: 17, sentAt: 123_456_789))
    }

    @Test(arguments: [1, 3, 20, 45, 46, 56, 60])
    func aTruncatedPayloadIsGarbled(cut: Int) {
        var text = ByteBuffer(string: "<b1> ")
        text.writeImmutableBuffer(self.line())
        text.moveWriterIndex(to: text.writerIndex - cut)
        #expect(self.parse(text) == .garbled)
    }

    @Test func alteredPaddingIsGarbled() {
        var text = self.line()
        text.setInteger(UInt8(ascii: "y"), at: text.writerIndex - 5)
        #expect(self.parse(text) == .garbled)
    }

    @Test func extraTrailingBytesAreGarbled() {
        var text = self.line()
        text.writeString("x")
        #expect(self.parse(text) == .garbled)
        text.moveWriterIndex(to: text.writerIndex - 1)
        text.writeString(" ")
        #expect(self.parse(text) == .garbled)
    }

    @Test(arguments: [48, 63, 65, 128])
    func aLineOfTheWrongLengthIsGarbled(expectedSize: Int) {
        #expect(self.parse(self.line(size: 64), size: expectedSize) == .garbled)
    }

    @Test func twoMessagesMergedIntoOneLineAreGarbled() {
        var merged = ByteBuffer(string: "<a> ")
        merged.writeImmutableBuffer(self.line(sender: 1, sequence: 1))
        merged.writeString("<b> ")
        merged.writeImmutableBuffer(self.line(sender: 2, sequence: 2))
        #expect(self.parse(merged) == .garbled)

        var spliced = self.line(sender: 1, sequence: 1)
        spliced.moveWriterIndex(to: spliced.writerIndex - 10)
        spliced.writeImmutableBuffer(self.line(sender: 2, sequence: 2))
        #expect(self.parse(spliced) == .garbled)
    }

    @Test func damagedNumbersAreGarbled() {
        #expect(self.parse(ByteBuffer(string: "~cb~~17~123~" + String(repeating: "x", count: 52))) == .garbled)
        #expect(self.parse(ByteBuffer(string: "~cb~3~1a7~123~" + String(repeating: "x", count: 50))) == .garbled)
        #expect(self.parse(ByteBuffer(string: "~cb~3~17~123")) == .garbled)
    }

    @Test(arguments: ["", "hello", "* bxn1 joined #main", "~cb", "<a> ~c b~1~2~3~xxxx", "cb~1~2~3~"])
    func aLineWithoutTheMarkerIsNone(text: String) {
        #expect(self.parse(ByteBuffer(string: text)) == .none)
    }
}
