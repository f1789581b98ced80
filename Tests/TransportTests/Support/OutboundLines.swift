import NIOCore
import NIOEmbedded

/// What the handlers of a `NIOAsyncTestingChannel` wrote to the network, read back as lines.
///
/// The outbox batches, so one write may carry several lines and a line may not be alone in its write: tests that
/// care about lines read lines, and tests that care about writes use `readOutbound` themselves. Waiting is for the
/// write itself (`waitForOutboundWrite`), never for a stretch of time, and gives up (``Patience``) when it never
/// comes.
struct OutboundLines {
    let channel: NIOAsyncTestingChannel
    /// Bytes written and not yet handed out as lines.
    private var unread = ByteBuffer()

    init(_ channel: NIOAsyncTestingChannel) {
        self.channel = channel
    }

    /// The next line written, without its newline; waits until it is written. Throws once the channel has closed
    /// with no such line written.
    mutating func next() async throws -> String {
        while true {
            if let line = self.takeLine() { return line }
            let channel = self.channel
            var write = try await Patience.wait(for: "a write after \(self.unread.readableBytes) unread bytes") {
                try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            }
            self.unread.writeBuffer(&write)
        }
    }

    /// Lines as they are written, up to and including the first that `match` accepts.
    @discardableResult
    mutating func lines(until match: (String) -> Bool) async throws -> [String] {
        var seen: [String] = []
        while true {
            let line = try await self.next()
            seen.append(line)
            if match(line) { return seen }
        }
    }

    /// Lines as they are written, up to and including `text`.
    @discardableResult
    mutating func lines(untilLine text: String) async throws -> [String] {
        try await self.lines(until: { $0 == text })
    }

    /// Every line written so far, without waiting for more: what is left before `finish()`, so that
    /// `finish().isClean` speaks about the handlers (unflushed writes, stray inbound data) and not about lines the
    /// test chose not to read.
    mutating func remaining() async throws -> [String] {
        while var write = try await self.channel.readOutbound(as: ByteBuffer.self) {
            self.unread.writeBuffer(&write)
        }
        var lines: [String] = []
        while let line = self.takeLine() {
            lines.append(line)
        }
        return lines
    }

    private mutating func takeLine() -> String? {
        guard let newline = self.unread.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = self.unread.readString(length: newline - self.unread.readerIndex)
        self.unread.moveReaderIndex(forwardBy: 1)
        return line
    }
}
