import ChatTesting
import NIOCore
import NIOEmbedded
import Testing

@testable import ChatBench

/// The bench's receiver splits lines itself; lines cut across reads, CRLF endings and over-long lines must count
/// exactly as whole lines would.
@Suite struct BenchConnectionHandlerTests {
    private let nickname = "bxn3z"

    /// A joined receiver on an embedded channel; a soak client's when `keepsReceipts`.
    private func receiver(keepsReceipts: Bool = false) throws -> (EmbeddedChannel, BenchConnectionHandler) {
        let channel = EmbeddedChannel()
        let joined = channel.eventLoop.makePromise(of: Void.self)
        let handler = BenchConnectionHandler(
            nickname: self.nickname,
            messageSize: 64,
            messagesPerSender: 10,
            run: "r1",
            joined: joined,
            keepsReceipts: keepsReceipts,
            alternateMessageSize: 200
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        try self.feed(channel, "* Welcome to slashchat, \(self.nickname)!\n")
        #expect(throws: Never.self) { try joined.futureResult.wait() }
        return (channel, handler)
    }

    private func feed(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    private func token(sender: Int, sequence: Int, size: Int = 64) -> String {
        let bytes = MessageToken.make(sender: sender, sequence: sequence, sentAt: 1, size: size, run: "r1")
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

    @Test func aSoakReceiverKeepsEveryTokenInArrivalOrderButNotHistoryReplays() throws {
        let (channel, handler) = try self.receiver(keepsReceipts: true)
        try self.feed(channel, self.token(sender: 5, sequence: 2))
        try self.feed(channel, "[History] " + self.token(sender: 5, sequence: 0))
        let privateMessage = MessageToken.make(sender: 5, sequence: 1, sentAt: 1, size: 64, run: "r1")
        try self.feed(channel, "[PM from b5] " + String(buffer: privateMessage))
        try self.feed(channel, self.token(sender: 5, sequence: 2) + self.token(sender: 6, sequence: 40, size: 200))
        let receipts = try #require(handler.snapshot().receipts)
        #expect(receipts.sequencesBySender == [5: [2, 1, 2], 6: [40]])
        #expect(receipts.historyLines == 1)
        #expect(handler.snapshot().garbled == 0)
    }

    @Test func aSoakReceiverCountsEveryLineAControlCharacterReached() throws {
        let (channel, handler) = try self.receiver(keepsReceipts: true)
        try self.feed(channel, "<a> fine\tline\n<a> \u{1B}[2Jcleared\n<a> cr\r\n")
        try channel.writeInbound(ByteBuffer(bytes: Array("<a> bad ".utf8) + [0xFF, 0x0A]))
        let receipts = try #require(handler.snapshot().receipts)
        #expect(receipts.controlLines == 2)
        #expect(receipts.invalidUTF8Lines == 1)
        #expect(receipts.firstBadLine == "<a> \\x1B[2Jcleared")
    }

    @Test func aSoakReceiverWakesWhoeverWaitsForALine() throws {
        let (channel, handler) = try self.receiver(keepsReceipts: true)
        // Waiting needs a connected channel.
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4242)).wait()
        let answer = handler.expect("bxn3z is in #games", timeout: .seconds(10))
        let answered = LockedValue(false)
        answer.whenSuccess { answered.withLock { $0 = true } }
        try self.feed(channel, "* someone else is in #games\n")
        #expect(!answered.value)
        try self.feed(channel, "* bxn3z is in #games, idle 0s\n")
        #expect(answered.value)
        let never = handler.expect("never", timeout: .seconds(10))
        let failed = LockedValue(false)
        never.whenFailure { _ in failed.withLock { $0 = true } }
        _ = try? channel.finish()
        #expect(failed.value)
    }
}
