import Testing

@testable import ChatBench

/// What a soak client counts as a line that should never have reached a terminal.
@Suite struct ReceiptLogTests {
    private func inspected(_ bytes: [UInt8]) -> ReceiptLog {
        var log = ReceiptLog()
        bytes.withUnsafeBytes { log.inspect($0) }
        return log
    }

    @Test(arguments: [
        Array("<alice> hello\tthere 🎉 é".utf8),
        Array("* alice ran /cowsay".utf8),
    ])
    func printableTextAndTabAreClean(line: [UInt8]) {
        let log = self.inspected(line)
        #expect(log.controlLines == 0)
        #expect(log.invalidUTF8Lines == 0)
        #expect(log.firstBadLine == nil)
    }

    @Test(arguments: [
        Array("<a> \u{1B}[31mred".utf8),
        Array("<a> bell\u{07}".utf8),
        Array("<a> cr\r".utf8),
        Array("<a> del\u{7F}".utf8),
        Array("<a> nul\u{00}".utf8),
        Array("<a> ".utf8) + [0xC2, 0x9B] + Array("2J".utf8),
    ])
    func everyControlCharacterIsCaught(line: [UInt8]) {
        let log = self.inspected(line)
        #expect(log.controlLines == 1)
        #expect(log.firstBadLine != nil)
    }

    @Test func invalidUTF8IsCaughtAndShownEscaped() {
        let log = self.inspected(Array("<a> ".utf8) + [0xFF, 0x1B])
        #expect(log.invalidUTF8Lines == 1)
        #expect(log.controlLines == 1)
        #expect(log.firstBadLine == "<a> \\xFF\\x1B")
    }

    @Test func classifiesErrorsSlowDownsBlocksAndDrops() {
        var log = ReceiptLog()
        for line in [
            "! That line was over 4096 bytes and was discarded.",
            "* Slow down: you are sending faster than 20 lines per second; your lines are being delayed.",
            "* carol ran /roll 2d6",
            "* dave left #main (dropped: not reading its messages)",
            "<erin> ! not an error",
        ] {
            Array(line.utf8).withUnsafeBytes { log.classify($0) }
        }
        #expect(log.errorLines == 1)
        #expect(log.slowDownNotices == 1)
        #expect(log.blockHeaders == 1)
        #expect(log.droppedNicknames == ["dave"])
    }
}
