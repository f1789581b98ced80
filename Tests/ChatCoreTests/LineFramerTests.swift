import ChatProtocol
import NIOCore
import Testing

/// The server's line framing: LineDecoder's rules (which the fuzz checks compare it against), and nothing kept
/// between reads that end at a newline.
@Suite struct LineFramerTests {
    private func frame(_ framer: inout LineFramer, _ text: String) -> [LineDecoderTests.Decoded] {
        var lines: [LineDecoderTests.Decoded] = []
        framer.append(ByteBuffer(string: text)) { lines.append(.init($0)) }
        return lines
    }

    @Test func keepsNothingWhenAReadEndsAtANewline() {
        var framer = LineFramer()
        #expect(self.frame(&framer, "hello\r\nworld\n") == [.line("hello"), .line("world")])
        #expect(!framer.hasPartialLine)
    }

    @Test func joinsALineCutAcrossReadsAndKeepsOnlyItsStart() {
        var framer = LineFramer()
        #expect(self.frame(&framer, "first\nsec") == [.line("first")])
        #expect(framer.hasPartialLine)
        #expect(self.frame(&framer, "ond\r") == [])
        #expect(self.frame(&framer, "\nthird\n") == [.line("second"), .line("third")])
        #expect(!framer.hasPartialLine)
    }

    @Test func aFinalLineWithoutANewlineComesOutAtTheEnd() {
        var framer = LineFramer()
        #expect(self.frame(&framer, "bye") == [])
        var last: [LineDecoderTests.Decoded] = []
        framer.finish { last.append(.init($0)) }
        #expect(last == [.line("bye")])
        #expect(!framer.hasPartialLine)
    }

    @Test func anOverLongLineIsReportedOnceAndItsRestDropped() {
        var framer = LineFramer(maximumLineLength: 8)
        #expect(self.frame(&framer, String(repeating: "x", count: 12)) == [.tooLong])
        #expect(self.frame(&framer, String(repeating: "y", count: 100)) == [])
        #expect(self.frame(&framer, "zz\nok\n") == [.line("ok")])
        #expect(!framer.hasPartialLine)
    }
}
