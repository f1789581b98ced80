import NIOCore
import NIOEmbedded
import Testing

@testable import ChatCore
@testable import ChatProtocol

@Suite struct LineDecoderTests {
    /// What the decoder produced, in a form that prints readably when an expectation fails.
    enum Decoded: Equatable, CustomStringConvertible {
        case line(String)
        case tooLong

        init(_ inbound: InboundLine) {
            switch inbound {
            case .line(let buffer):
                self = .line(String(buffer: buffer))
            case .tooLong:
                self = .tooLong
            }
        }

        var description: String {
            switch self {
            case .line(let text) where text.utf8.count > 40: ".line(<\(text.utf8.count) bytes>)"
            case .line(let text): ".line(\(text.debugDescription))"
            case .tooLong: ".tooLong"
            }
        }
    }

    // MARK: Helpers

    private func makeChannel(maximumLineLength: Int = LineDecoder.maximumLineLength) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let decoder = LineDecoder(maximumLineLength: maximumLineLength)
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(decoder))
        return channel
    }

    private func write(_ text: String, to channel: EmbeddedChannel) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    private func writeBytewise(_ text: String, to channel: EmbeddedChannel) throws {
        for byte in Array(text.utf8) {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
    }

    private func readAll(from channel: EmbeddedChannel) throws -> [Decoded] {
        var decoded: [Decoded] = []
        while let inbound = try channel.readInbound(as: InboundLine.self) {
            decoded.append(Decoded(inbound))
        }
        return decoded
    }

    /// Signals end of input the way a half-closed TCP connection does.
    private func closeInput(of channel: EmbeddedChannel) {
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    private func expectCleanFinish(_ channel: EmbeddedChannel) throws {
        let leftOvers = try channel.finish()
        #expect(leftOvers.isClean)
    }

    // MARK: Framing

    @Test(arguments: [
        ("hello\n", [Decoded.line("hello")]),
        ("hello\r\n", [.line("hello")]),
        ("one\ntwo\r\nthree\n", [.line("one"), .line("two"), .line("three")]),
        ("\n", [.line("")]),
        ("\r\n\r\n", [.line(""), .line("")]),
        ("a\rb\n", [.line("a\rb")]),
        ("\rstart\n", [.line("\rstart")]),
        ("two\r\r\n", [.line("two\r")]),
    ])
    func splitsInputIntoLines(input: String, expected: [Decoded]) throws {
        let channel = try self.makeChannel()
        try self.write(input, to: channel)
        #expect(try self.readAll(from: channel) == expected)
        try self.expectCleanFinish(channel)
    }

    @Test(arguments: [
        "one\ntwo\r\nthree\n",
        "a\rb\r\n\r\nlast\n",
    ])
    func byteAtATimeInputGivesTheSameLinesAsOneWrite(input: String) throws {
        let whole = try self.makeChannel()
        try self.write(input, to: whole)
        let expected = try self.readAll(from: whole)

        let bytewise = try self.makeChannel()
        try self.writeBytewise(input, to: bytewise)
        let actual = try self.readAll(from: bytewise)

        #expect(actual == expected)
        #expect(actual.count == input.filter { $0 == "\n" || $0 == "\r\n" }.count)
        try self.expectCleanFinish(whole)
        try self.expectCleanFinish(bytewise)
    }

    @Test func lineSplitAcrossWritesIsReassembled() throws {
        let channel = try self.makeChannel()
        try self.write("hel", to: channel)
        #expect(try self.readAll(from: channel) == [])
        try self.write("lo\r", to: channel)
        #expect(try self.readAll(from: channel) == [])
        try self.write("\nwor", to: channel)
        #expect(try self.readAll(from: channel) == [.line("hello")])
        try self.write("ld\n", to: channel)
        #expect(try self.readAll(from: channel) == [.line("world")])
        try self.expectCleanFinish(channel)
    }

    // MARK: The length cap

    @Test func lineOfExactlyTheDefaultMaximumArrivesIntact() throws {
        let channel = try self.makeChannel()
        let line = String(repeating: "x", count: 4096)
        try self.write(line + "\n", to: channel)
        #expect(try self.readAll(from: channel) == [.line(line)])
        try self.expectCleanFinish(channel)
    }

    @Test func lineOfExactlyTheDefaultMaximumWithCRLFArrivesIntactByteByByte() throws {
        let channel = try self.makeChannel()
        let line = String(repeating: "y", count: 4096)
        try self.writeBytewise(line + "\r\n", to: channel)
        #expect(try self.readAll(from: channel) == [.line(line)])
        try self.expectCleanFinish(channel)
    }

    @Test func defaultMaximumIs4096Bytes() {
        #expect(LineDecoder.maximumLineLength == 4096)
    }

    @Test func lineOneByteOverTheDefaultMaximumIsReportedAndTheNextLineIsRead() throws {
        let channel = try self.makeChannel()
        try self.write(String(repeating: "x", count: 4097) + "\nnext\n", to: channel)
        #expect(try self.readAll(from: channel) == [.tooLong, .line("next")])
        try self.expectCleanFinish(channel)
    }

    @Test(arguments: [
        ("12345678\n", [Decoded.line("12345678")]),
        ("12345678\r\n", [.line("12345678")]),
        ("123456789\nok\n", [.tooLong, .line("ok")]),
        ("123456789\r\nok\n", [.tooLong, .line("ok")]),
        ("1234567\r\r\nok\n", [.line("1234567\r"), .line("ok")]),
        ("12345678\r\r\nok\n", [.tooLong, .line("ok")]),
        ("0123456789abcdef\nok\n", [.tooLong, .line("ok")]),
        ("short\n0123456789abcdef\r\nagain\n", [.line("short"), .tooLong, .line("again")]),
    ])
    func smallCapIsEnforcedOnEachLine(input: String, expected: [Decoded]) throws {
        let whole = try self.makeChannel(maximumLineLength: 8)
        try self.write(input, to: whole)
        #expect(try self.readAll(from: whole) == expected)
        try self.expectCleanFinish(whole)

        let bytewise = try self.makeChannel(maximumLineLength: 8)
        try self.writeBytewise(input, to: bytewise)
        #expect(try self.readAll(from: bytewise) == expected)
        try self.expectCleanFinish(bytewise)
    }

    @Test func unterminatedBytesPastTheCapAreReportedOnceAndDiscardedUpToTheNewline() throws {
        let channel = try self.makeChannel(maximumLineLength: 8)
        try self.write("123456789", to: channel)
        // Nine bytes could still be eight plus the `\r` of a `\r\n`: nothing to say yet.
        #expect(try self.readAll(from: channel) == [])
        try self.write("0", to: channel)
        #expect(try self.readAll(from: channel) == [.tooLong])
        for _ in 0..<100 {
            try self.write("more bytes that never end", to: channel)
        }
        #expect(try self.readAll(from: channel) == [])
        try self.write("tail of the long line\nhello\n", to: channel)
        #expect(try self.readAll(from: channel) == [.line("hello")])
        try self.expectCleanFinish(channel)
    }

    @Test func megabyteWithoutNewlineGivesExactlyOneTooLongThenTheNextLineWorks() throws {
        let channel = try self.makeChannel()
        let chunk = String(repeating: "z", count: 1000)
        var decoded: [Decoded] = []
        for _ in 0..<1000 {
            try self.write(chunk, to: channel)
            decoded += try self.readAll(from: channel)
        }
        #expect(decoded == [.tooLong])
        try self.write("\r\nafter\r\n", to: channel)
        #expect(try self.readAll(from: channel) == [.line("after")])
        try self.expectCleanFinish(channel)
    }

    @Test func byteAtATimeOverlongLineGivesExactlyOneTooLong() throws {
        let channel = try self.makeChannel(maximumLineLength: 8)
        try self.writeBytewise(String(repeating: "q", count: 500) + "\nok\n", to: channel)
        #expect(try self.readAll(from: channel) == [.tooLong, .line("ok")])
        try self.expectCleanFinish(channel)
    }

    // MARK: End of input

    @Test func finalLineWithoutNewlineIsDeliveredAtEndOfInput() throws {
        let channel = try self.makeChannel()
        try self.write("first\nlast words", to: channel)
        #expect(try self.readAll(from: channel) == [.line("first")])
        self.closeInput(of: channel)
        #expect(try self.readAll(from: channel) == [.line("last words")])
        try self.expectCleanFinish(channel)
    }

    @Test func finalLineEndingInCarriageReturnLosesItAtEndOfInput() throws {
        let channel = try self.makeChannel()
        try self.write("last\r", to: channel)
        self.closeInput(of: channel)
        #expect(try self.readAll(from: channel) == [.line("last")])
        try self.expectCleanFinish(channel)
    }

    @Test func finalLineWithoutNewlineIsDeliveredWhenTheChannelCloses() throws {
        let channel = try self.makeChannel()
        try self.write("bye", to: channel)
        #expect(try self.readAll(from: channel) == [])
        channel.pipeline.fireChannelInactive()
        #expect(try self.readAll(from: channel) == [.line("bye")])
        try self.expectCleanFinish(channel)
    }

    @Test func nothingIsDeliveredAtEndOfInputWhenNoBytesAreLeft() throws {
        let channel = try self.makeChannel()
        try self.write("done\n", to: channel)
        #expect(try self.readAll(from: channel) == [.line("done")])
        self.closeInput(of: channel)
        #expect(try self.readAll(from: channel) == [])
        try self.expectCleanFinish(channel)
    }

    @Test func restOfAnOverlongLineIsNotDeliveredAtEndOfInput() throws {
        let channel = try self.makeChannel(maximumLineLength: 8)
        try self.write("0123456789abcdef", to: channel)
        #expect(try self.readAll(from: channel) == [.tooLong])
        self.closeInput(of: channel)
        #expect(try self.readAll(from: channel) == [])
        try self.expectCleanFinish(channel)
    }

    @Test func overlongFinalLineArrivingWithTheEndOfInputIsReportedAsTooLong() throws {
        let channel = try self.makeChannel(maximumLineLength: 8)
        try self.write("ok\n0123456789abcdef", to: channel)
        #expect(try self.readAll(from: channel) == [.line("ok"), .tooLong])
        self.closeInput(of: channel)
        #expect(try self.readAll(from: channel) == [])
        try self.expectCleanFinish(channel)
    }

    @Test(arguments: [8, 4096])
    func finalLineOneByteOverTheCapAtEndOfInputIsReportedAsTooLong(maximumLineLength: Int) throws {
        let channel = try self.makeChannel(maximumLineLength: maximumLineLength)
        try self.write(String(repeating: "w", count: maximumLineLength + 1), to: channel)
        #expect(try self.readAll(from: channel) == [])
        self.closeInput(of: channel)
        let decoded = try self.readAll(from: channel)
        #expect(decoded == [.tooLong])
        #expect(decoded.count == 1)
        try self.expectCleanFinish(channel)
    }

    @Test func finishIsCleanAfterOrdinaryTraffic() throws {
        let channel = try self.makeChannel()
        try self.write("a\nb\r\n", to: channel)
        #expect(try self.readAll(from: channel) == [.line("a"), .line("b")])
        let leftOvers = try channel.finish()
        #expect(leftOvers.isClean)
    }

    // MARK: nextLine(from:) directly

    @Test func nextLineConsumesExactlyOneLineAndLeavesTheRest() {
        var decoder = LineDecoder(maximumLineLength: 8)
        var buffer = ByteBuffer(string: "one\r\ntwo\nthr")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("one"))
        #expect(String(buffer: buffer) == "two\nthr")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("two"))
        #expect(String(buffer: buffer) == "thr")
        #expect(decoder.nextLine(from: &buffer) == nil)
        #expect(String(buffer: buffer) == "thr")
    }

    /// The decoder remembers how far it has looked for a newline (so a line in many small reads is scanned once);
    /// what it remembers must follow the buffer through lines, partial lines and discarded ones.
    @Test func nextLineFindsNewlinesAfterResumingAPartialScan() {
        var decoder = LineDecoder(maximumLineLength: 8)
        var buffer = ByteBuffer(string: "abc")
        #expect(decoder.nextLine(from: &buffer) == nil)
        buffer.writeString("de")
        #expect(decoder.nextLine(from: &buffer) == nil)
        buffer.writeString("\nx")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("abcde"))
        #expect(decoder.nextLine(from: &buffer) == nil)
        buffer.writeString("y\nz\n")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("xy"))
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("z"))
        buffer.writeString("0123456789")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .tooLong)
        buffer.writeString("rest\nok")
        #expect(decoder.nextLine(from: &buffer) == nil)
        buffer.writeString("\n")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("ok"))
    }

    @Test func nextLineKeepsMemoryBoundedWhileDiscardingAnEndlessLine() {
        var decoder = LineDecoder(maximumLineLength: 8)
        var buffer = ByteBuffer()
        var reports: [Decoded] = []
        for _ in 0..<1000 {
            buffer.writeString("abcdefg")
            while let line = decoder.nextLine(from: &buffer) {
                reports.append(Decoded(line))
            }
            #expect(buffer.readableBytes <= 9)
        }
        #expect(reports == [.tooLong])
        #expect(buffer.readableBytes == 0)
        buffer.writeString("rest\nnext\n")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("next"))
        #expect(decoder.nextLine(from: &buffer) == nil)
    }

    @Test func nextLineAllowsOneExtraUnterminatedByteForAPendingCarriageReturn() {
        var decoder = LineDecoder(maximumLineLength: 4)
        var buffer = ByteBuffer(string: "abcd\r")
        #expect(decoder.nextLine(from: &buffer) == nil)
        #expect(buffer.readableBytes == 5)
        buffer.writeString("\n")
        #expect(decoder.nextLine(from: &buffer).map(Decoded.init) == .line("abcd"))
    }
}
