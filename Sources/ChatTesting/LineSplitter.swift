import NIOCore

/// Splits a byte stream into lines at `\n`. Nothing else is removed: a stray `\r` from the server stays visible to
/// the tests, and invalid UTF-8 is decoded as U+FFFD but flagged.
public struct LineSplitter: Sendable {
    /// One line as received.
    public struct Line: Sendable {
        /// The line without its `\n`.
        public var text: String
        /// False when the bytes were not valid UTF-8 (``text`` then holds U+FFFD in their place).
        public var isValidUTF8: Bool

        /// What is wrong with this line from a server that sanitises everything it sends, if anything.
        public var violation: String? {
            if !self.isValidUTF8 {
                return "invalid UTF-8"
            }
            if let control = self.text.unicodeScalars.first(where: { Self.isForbiddenControl($0) }) {
                return "control character U+\(String(control.value, radix: 16, uppercase: true))"
            }
            return nil
        }

        private static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09: false
            case 0x00...0x1F, 0x7F...0x9F: true
            default: false
            }
        }
    }

    private var pending = ByteBuffer()

    /// A splitter with nothing pending.
    public init() {}

    /// Adds `buffer` and returns every line it completed.
    public mutating func append(_ buffer: ByteBuffer) -> [Line] {
        var buffer = buffer
        self.pending.writeBuffer(&buffer)
        var lines: [Line] = []
        while let newline = self.pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - self.pending.readerIndex
            let line = self.pending.readSlice(length: length)!
            self.pending.moveReaderIndex(forwardBy: 1)
            lines.append(Self.decode(line))
        }
        self.pending.discardReadBytes()
        return lines
    }

    /// Whatever arrived after the last newline, if anything.
    public mutating func remainder() -> Line? {
        guard self.pending.readableBytes > 0 else { return nil }
        defer { self.pending.clear() }
        return Self.decode(self.pending)
    }

    private static func decode(_ line: ByteBuffer) -> Line {
        if let text = String(validating: line.readableBytesView, as: UTF8.self) {
            return Line(text: text, isValidUTF8: true)
        }
        return Line(text: String(decoding: line.readableBytesView, as: UTF8.self), isValidUTF8: false)
    }
}
