import NIOCore
import NIOEmbedded
import Testing

@testable import ChatBench

/// The bench's receiver splits lines itself; lines cut across reads, CRLF endings and over-long lines must count
/// exactly as whole lines would.
@Suite struct BenchConnectionHandlerTests {
    private let nickname = "bxn3z"

    /// A joined receiver on an embedded channel.
    private func receiver() throws -> (EmbeddedChannel, BenchConnectionHandler) {
        let channel = EmbeddedChannel()
        let joined = channel.eventLoop.makePromise(of: Void.self)
        let handler = BenchConnectionHandler(
            nickname: self.nickname,
            messageSize: 64,
            messagesPerSender: 10,
            run: "r1",
            joined: joined
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        try self.feed(channel, "* Welcome to slashchat, \(self.nickname)!\n")
        #expect(throws: Never.self) { try joined.futureResult.wait() }
        return (channel, handler)
    }

    private func feed(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    private func token(sender: Int, sequence: Int) -> String {
        let bytes = MessageToken.make(sender: sender, sequence: sequence, sentAt: 1, size: 64, run: "r1")
        return "<b\(sender)> " + String(buffer: bytes)
    }

    @Test func countsLinesCutAcrossReadsOnce() throws {
        let (channel, handler) = try self.receiver()
        let first = self.token(sender: 1, sequence: 0)
        let second = self.token(sender: 1, sequence: 1)
        let both = first + second
        // Every possible cut point, including inside the newline of the first line.
        for cut in [1, 20, first.utf8.count - 1, first.utf8.count, first.utf8.count + 5] {
            let (head, tail) = (String(both.prefix(cut)), String(both.dropFirst(cut)))
            try self.feed(channel, head)
            try self.feed(channel, tail)
        }
        let results = handler.snapshot()
        #expect(results.delivered == 2)
        #expect(results.duplicated == 8)
        #expect(results.garbled == 0)
    }

    @Test func acceptsCRLFLineEndings() throws {
        let (channel, handler) = try self.receiver()
        var line = self.token(sender: 2, sequence: 3)
        line.removeLast()
        try self.feed(channel, line + "\r\n")
        #expect(handler.snapshot().delivered == 1)
        #expect(handler.snapshot().garbled == 0)
    }

    @Test func dropsAnOverlongLineAsGarbledAndReadsTheNextOne() throws {
        let (channel, handler) = try self.receiver()
        let chunk = String(repeating: "y", count: 16 * 1024)
        for _ in 0..<5 { try self.feed(channel, chunk) }
        try self.feed(channel, "still the long line\n" + self.token(sender: 4, sequence: 0))
        let results = handler.snapshot()
        #expect(results.garbled == 1)
        #expect(results.delivered == 1)
    }

    @Test func ignoresLinesWithoutAToken() throws {
        let (channel, handler) = try self.receiver()
        try self.feed(channel, "* carol joined #main\n")
        #expect(handler.snapshot().delivered == 0)
        #expect(handler.snapshot().garbled == 0)
    }
}
