import NIOCore

/// The payload every benchmark message carries: who sent it, its sequence number and when, padded to the
/// requested size. Receivers find it anywhere in a line (`<nick> ~cb~3~17~123456789~xxxx`), so any server that
/// relays the text works.
enum MessageToken {
    /// `~cb~`, or `~cbRUN~` with a run's id, so leftovers of an earlier run on the same server are not counted.
    static func marker(run: String) -> [UInt8] {
        Array("~cb\(run)~".utf8)
    }
    static let padding = UInt8(ascii: "x")

    /// The message text (without newline), exactly `size` bytes when `size` is large enough for the token.
    static func make(sender: Int, sequence: Int, sentAt nanoseconds: UInt64, size: Int, run: String = "") -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(max(size, 48) + 1)
        buffer.writeBytes(Self.marker(run: run))
        buffer.writeString("\(sender)~\(sequence)~\(nanoseconds)~")
        let padding = max(0, size - buffer.readableBytes)
        buffer.writeRepeatingByte(Self.padding, count: padding)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }

    /// What a received line says, if it carries a token.
    enum Parsed: Equatable {
        case none
        case token(sender: Int, sequence: Int, sentAt: UInt64)
        /// It has the marker but is damaged (cut, merged, altered).
        case garbled
    }

    static func parse(_ line: ByteBufferView, expectedSize: Int, run: String = "") -> Parsed {
        Self.parse(line, expectedSize: expectedSize, marker: Self.marker(run: run))
    }

    static func parse(_ line: ByteBufferView, expectedSize: Int, marker: [UInt8]) -> Parsed {
        guard let start = Self.find(marker, in: line) else { return .none }
        var index = line.index(start, offsetBy: marker.count)
        var numbers: [UInt64] = []
        numbers.reserveCapacity(3)
        for _ in 0..<3 {
            var value: UInt64 = 0
            var digits = 0
            while index < line.endIndex, let digit = Self.digit(line[index]) {
                value = value &* 10 &+ UInt64(digit)
                digits += 1
                index = line.index(after: index)
            }
            guard digits > 0, digits < 20, index < line.endIndex, line[index] == UInt8(ascii: "~") else { return .garbled }
            numbers.append(value)
            index = line.index(after: index)
        }
        // The rest must be exactly the padding the sender added.
        let tokenLength = line.distance(from: start, to: index)
        let expectedPadding = max(0, expectedSize - tokenLength)
        var padding = 0
        while index < line.endIndex {
            guard line[index] == Self.padding else { return .garbled }
            padding += 1
            index = line.index(after: index)
        }
        guard padding == expectedPadding else { return .garbled }
        return .token(sender: Int(numbers[0]), sequence: Int(numbers[1]), sentAt: numbers[2])
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? byte - UInt8(ascii: "0") : nil
    }

    private static func find(_ needle: [UInt8], in haystack: ByteBufferView) -> ByteBufferView.Index? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.index(haystack.endIndex, offsetBy: -needle.count)
        while index <= last {
            if haystack[index] == needle[0] {
                var matched = true
                for offset in 1..<needle.count where haystack[haystack.index(index, offsetBy: offset)] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index = haystack.index(after: index)
        }
        return nil
    }
}
