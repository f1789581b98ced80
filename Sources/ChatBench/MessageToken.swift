import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The payload every benchmark message carries: who sent it, its sequence number and when, padded to the
/// requested size. Receivers find it anywhere in a line (`<nick> ~cb~3~17~123456789~xxxx`), so any server that
/// relays the text works.
enum MessageToken {
    /// `~cb~`, or `~cbRUN~` with a run's id, so leftovers of an earlier run on the same server are not counted.
    static func marker(run: String) -> [UInt8] {
        Array("~cb\(run)~".utf8)
    }
    static let padding = UInt8(ascii: "x")

    /// The line to send: `prefix` (a protocol's command, such as IRC's `PRIVMSG #bench :`), the message text,
    /// exactly `size` bytes when `size` is large enough for the token, then `lineEnd`.
    static func make(
        sender: Int,
        sequence: Int,
        sentAt nanoseconds: UInt64,
        size: Int,
        run: String = "",
        prefix: [UInt8] = [],
        lineEnd: [UInt8] = [UInt8(ascii: "\n")]
    ) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(prefix.count + max(size, 48) + lineEnd.count)
        buffer.writeBytes(prefix)
        let start = buffer.writerIndex
        buffer.writeBytes(Self.marker(run: run))
        buffer.writeString("\(sender)~\(sequence)~\(nanoseconds)~")
        let padding = max(0, size - (buffer.writerIndex - start))
        buffer.writeRepeatingByte(Self.padding, count: padding)
        buffer.writeBytes(lineEnd)
        return buffer
    }

    /// What a received line says, if it carries a token.
    enum Parsed: Equatable {
        case none
        case token(sender: Int, sequence: Int, sentAt: UInt64)
        /// It has the marker but is damaged (cut, merged, altered).
        case garbled
    }

    static func parse(
        _ line: ByteBufferView,
        expectedSize: Int,
        run: String = "",
        endingAt terminator: UInt8? = nil
    ) -> Parsed {
        Self.parse(line, expectedSize: expectedSize, marker: Self.marker(run: run), endingAt: terminator)
    }

    static func parse(
        _ line: ByteBufferView,
        expectedSize: Int,
        marker: [UInt8],
        endingAt terminator: UInt8? = nil
    ) -> Parsed {
        line.withContiguousStorageIfAvailable { bytes in
            Self.parse(UnsafeRawBufferPointer(bytes), expectedSize: expectedSize, marker: marker, endingAt: terminator)
        }
            ?? Array(line).withUnsafeBytes {
                Self.parse($0, expectedSize: expectedSize, marker: marker, endingAt: terminator)
            }
    }

    /// The parser itself, on raw bytes: receivers run it once per delivery, so it must cost next to nothing.
    /// - Parameter terminator: where the token ends when more of the line follows it (the web door's JSON: the
    ///   closing quote); nil when it ends the line.
    static func parse(
        _ line: UnsafeRawBufferPointer,
        expectedSize: Int,
        marker: [UInt8],
        endingAt terminator: UInt8? = nil
    ) -> Parsed {
        guard let start = Self.find(marker, in: line) else { return .none }
        var index = start + marker.count
        var end = line.count
        if let terminator {
            var scan = index
            while scan < end, line[scan] != terminator { scan += 1 }
            end = scan
        }
        var numbers: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for field in 0..<3 {
            var value: UInt64 = 0
            var digits = 0
            while index < end, line[index] &- UInt8(ascii: "0") < 10 {
                value = value &* 10 &+ UInt64(line[index] &- UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0, digits < 20, index < end, line[index] == UInt8(ascii: "~") else { return .garbled }
            switch field {
            case 0: numbers.0 = value
            case 1: numbers.1 = value
            default: numbers.2 = value
            }
            index += 1
        }
        // The rest must be exactly the padding the sender added.
        let expectedPadding = max(0, expectedSize - (index - start))
        guard end - index == expectedPadding else { return .garbled }
        while index < end {
            guard line[index] == Self.padding else { return .garbled }
            index += 1
        }
        return .token(sender: Int(numbers.0), sequence: Int(numbers.1), sentAt: numbers.2)
    }

    /// Where `needle` starts in `haystack`. Candidates are found with `memchr` (every received line is searched
    /// once, so a byte-by-byte scan would cost the bench more than the server it measures).
    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let base = haystack.baseAddress, let first = needle.first, haystack.count >= needle.count else {
            return nil
        }
        let last = haystack.count - needle.count
        var from = 0
        while from <= last, let found = memchr(base + from, Int32(first), last - from + 1) {
            let index = base.distance(to: UnsafeRawPointer(found))
            var offset = 1
            while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
            if offset == needle.count { return index }
            from = index + 1
        }
        return nil
    }
}
