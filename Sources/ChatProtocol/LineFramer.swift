import NIOCore

/// Frames one connection's byte stream into lines by ``LineDecoder``'s rules, for a channel handler that does its
/// own reading instead of sitting behind a `ByteToMessageHandler`.
///
/// The point is what it keeps between reads: nothing, when the last read ended at a newline (the usual case for
/// chat), so an idle connection holds no receive buffer; only the start of an unfinished line otherwise, which the
/// decoder's cap bounds. The lines it yields are slices of the bytes read, not copies.
public struct LineFramer {
    private var decoder: LineDecoder
    /// The start of a line whose newline has not come yet.
    private var pending: ByteBuffer?

    public init(maximumLineLength: Int = LineDecoder.maximumLineLength) {
        self.decoder = LineDecoder(maximumLineLength: maximumLineLength)
    }

    /// True while part of a line waits for its newline.
    public var hasPartialLine: Bool { self.pending != nil }

    /// Takes the bytes of one read; calls `yield` for every line they complete, in order.
    public mutating func append(_ bytes: ByteBuffer, _ yield: (InboundLine) -> Void) {
        var unread: ByteBuffer
        if var pending = self.pending {
            self.pending = nil
            pending.writeImmutableBuffer(bytes)
            unread = pending
        } else {
            unread = bytes
        }
        while let line = self.decoder.nextLine(from: &unread) {
            yield(line)
        }
        guard unread.readableBytes > 0 else { return }
        // Keep only the unfinished line, not the lines already handed out in front of it.
        self.pending = unread.readerIndex > 0 ? ByteBuffer(bytes: unread.readableBytesView) : unread
    }

    /// The input has ended: calls `yield` for a final line that has no newline, if any.
    public mutating func finish(_ yield: (InboundLine) -> Void) {
        guard var unread = self.pending else { return }
        self.pending = nil
        for line in self.decoder.lastLines(from: &unread) {
            yield(line)
        }
    }
}
