import NIOCore

/// Splits the inbound byte stream into lines, with a hard cap on line length.
///
/// NIO's `LineBasedFrameDecoder` has no cap of its own, and `ByteToMessageHandler`'s buffer cap
/// closes the connection. Our contract is different: an over-long line yields one ``InboundLine/tooLong``,
/// the rest of that line is thrown away as it arrives, and the next line is read normally. Memory stays
/// bounded by the cap even when a client never sends a newline.
public struct LineDecoder: ByteToMessageDecoder {
    public typealias InboundOut = InboundLine

    /// The longest line accepted, counted in bytes without the line terminator.
    public static let maximumLineLength = 4096

    private let maximumLineLength: Int
    /// True while we are skipping the remainder of a line that was already reported as too long.
    private var discardingOverlongLine = false
    /// How many unread bytes are already known to hold no newline, so a line arriving in many small reads is
    /// scanned once rather than from its start on every read.
    private var scannedLength = 0

    /// Creates a decoder that accepts lines of up to `maximumLineLength` bytes.
    public init(maximumLineLength: Int = LineDecoder.maximumLineLength) {
        self.maximumLineLength = maximumLineLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let line = self.nextLine(from: &buffer) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        for line in self.lastLines(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(line))
        }
        return .needMoreData
    }

    /// The lines left when the input has ended: the complete ones, then a final line without a newline, which is
    /// still a line (e.g. `printf 'hi' | nc`). Empties `buffer`.
    public mutating func lastLines(from buffer: inout ByteBuffer) -> [InboundLine] {
        var lines: [InboundLine] = []
        while let line = self.nextLine(from: &buffer) {
            lines.append(line)
        }
        if buffer.readableBytes > 0, !self.discardingOverlongLine {
            var rest = buffer.readSlice(length: buffer.readableBytes)!
            Self.dropTrailingCarriageReturn(&rest)
            // `nextLine` allowed one byte for a `\r` that never came.
            lines.append(rest.readableBytes > self.maximumLineLength ? .tooLong : .line(rest))
        }
        buffer.clear()
        return lines
    }

    /// The decoding step itself, free of any channel: the next complete line at the front of `buffer` (consumed),
    /// or nil when none is there yet (what is left is kept for the next call, unless it is already over-long).
    public mutating func nextLine(from buffer: inout ByteBuffer) -> InboundLine? {
        while true {
            let unread = buffer.readableBytesView
            guard let newlineOffset = unread.dropFirst(self.scannedLength).firstIndex(of: UInt8(ascii: "\n")) else {
                self.scannedLength = unread.count
                return self.handleUnterminated(&buffer)
            }
            self.scannedLength = 0
            let length = newlineOffset - buffer.readerIndex
            var line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)  // the newline itself
            if self.discardingOverlongLine {
                // This newline ends the line we already complained about.
                self.discardingOverlongLine = false
                continue
            }
            Self.dropTrailingCarriageReturn(&line)
            if line.readableBytes > self.maximumLineLength {
                return .tooLong
            }
            return .line(line)
        }
    }

    /// No newline yet: keep waiting unless the bytes already exceed any valid line.
    private mutating func handleUnterminated(_ buffer: inout ByteBuffer) -> InboundLine? {
        if self.discardingOverlongLine {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            buffer.discardReadBytes()
            self.scannedLength = 0
            return nil
        }
        // One extra byte is allowed for the `\r` of a `\r\n` that has not fully arrived yet.
        if buffer.readableBytes > self.maximumLineLength + 1 {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            buffer.discardReadBytes()
            self.scannedLength = 0
            self.discardingOverlongLine = true
            return .tooLong
        }
        return nil
    }

    private static func dropTrailingCarriageReturn(_ line: inout ByteBuffer) {
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
    }
}
