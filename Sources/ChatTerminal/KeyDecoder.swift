import ChatProtocol

/// Turns raw terminal input (UTF-8 and VT100/xterm escape sequences) into ``Key``s.
///
/// Bytes can arrive split anywhere, even inside an escape sequence or a multi-byte character, so the decoder keeps
/// what it cannot decode yet for the next call, and the keys never depend on where the reads were cut. A lone ESC
/// (or a sequence we do not know) is dropped rather than inserted, and so is a C1 control sent as UTF-8, so no
/// escape or control character ever lands in a message.
///
/// A CSI or SS3 sequence is `ESC [` (or `ESC O`), parameter and intermediate bytes (0x20-0x3F), then one final
/// byte (0x40-0x7E). A byte outside 0x20-0x7E before the final one ends the sequence without a key and is then
/// decoded as itself (so Enter or Ctrl-C always gets through). A sequence longer than
/// ``maximumSequenceLength`` is swallowed whole, up to and including its final byte, without being buffered.
public struct KeyDecoder: Sendable {
    /// The most bytes of one escape sequence that are buffered; a longer one is skipped and yields no key.
    public static let maximumSequenceLength = 16

    private var pending: [UInt8] = []
    /// True while skipping the rest of a sequence that passed ``maximumSequenceLength``.
    private var skippingSequence = false

    public init() {}

    /// Decodes `bytes` (plus whatever was left over) into keys.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        self.pending.append(contentsOf: bytes)
        var keys: [Key] = []
        var index = 0
        while index < self.pending.count {
            if self.skippingSequence {
                let byte = self.pending[index]
                if (0x20...0x3F).contains(byte) {
                    index += 1  // still a parameter or intermediate byte
                    continue
                }
                self.skippingSequence = false
                if (0x40...0x7E).contains(byte) {
                    index += 1  // the final byte ends the skipped sequence
                }
                continue  // anything else is decoded as itself
            }
            guard let (key, length) = Self.decodeOne(self.pending[index...]) else {
                // An escape sequence that never completes must neither block input nor grow without bound.
                if self.pending.count - index > Self.maximumSequenceLength {
                    index = self.pending.count
                    self.skippingSequence = true
                }
                break
            }
            if let key { keys.append(key) }
            index += length
        }
        self.pending.removeFirst(index)
        return keys
    }

    /// The key at the start of `bytes` and how many bytes it used; nil when more bytes are needed. A nil key means
    /// "consumed, but nothing to report".
    private static func decodeOne(_ bytes: ArraySlice<UInt8>) -> (Key?, Int)? {
        let first = bytes[bytes.startIndex]
        switch first {
        case 0x1B:
            return Self.decodeEscape(bytes)
        case 0x0D, 0x0A:
            return (.enter, 1)
        case 0x7F, 0x08:
            return (.backspace, 1)
        case 0x09:
            return (.tab, 1)
        case 0x01...0x1A:
            return (.control(Character(Unicode.Scalar(first + 0x60))), 1)
        case 0x00, 0x1C...0x1F:
            return (nil, 1)
        case 0x20...0x7E:
            return (.character(Character(Unicode.Scalar(first))), 1)
        default:
            return Self.decodeUTF8(bytes)
        }
    }

    private static func decodeUTF8(_ bytes: ArraySlice<UInt8>) -> (Key?, Int)? {
        let first = bytes[bytes.startIndex]
        let length: Int
        switch first {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return (nil, 1)  // A stray continuation or invalid byte.
        }
        guard bytes.count >= length else { return nil }
        let sequence = bytes.prefix(length)
        guard let text = String(validating: sequence, as: UTF8.self), let character = text.first else {
            return (nil, 1)
        }
        // C1 controls (U+0080-U+009F, among them the 8-bit CSI) and whatever else the sanitiser removes.
        if Sanitizer.containsControl(text) {
            return (nil, length)
        }
        return (.character(character), length)
    }

    private static func decodeEscape(_ bytes: ArraySlice<UInt8>) -> (Key?, Int)? {
        guard bytes.count >= 2 else { return nil }
        let second = bytes[bytes.startIndex + 1]
        switch second {
        case UInt8(ascii: "["), UInt8(ascii: "O"):
            // CSI or SS3: parameters, then one final byte.
            var index = bytes.startIndex + 2
            while index < bytes.endIndex {
                let byte = bytes[index]
                let length = index - bytes.startIndex
                if (0x40...0x7E).contains(byte) {
                    // Too long to have been buffered: had it arrived in pieces it would have been skipped.
                    guard length <= Self.maximumSequenceLength else { return (nil, length + 1) }
                    let parameters = String(decoding: bytes[(bytes.startIndex + 2)..<index], as: UTF8.self)
                    return (Self.key(final: byte, parameters: parameters), length + 1)
                }
                if !(0x20...0x3F).contains(byte) {
                    return (nil, length)  // not part of a sequence: drop what came before, decode this byte next
                }
                index += 1
            }
            return nil
        case 0x7F:
            return (.control("w"), 2)  // Alt-Backspace: delete a word.
        case 0x1B:
            return (nil, 1)  // ESC ESC [ A (Alt-Up in some terminals): drop the Alt, decode the rest as usual.
        default:
            return (nil, 2)  // Alt-something: ignored.
        }
    }

    private static func key(final: UInt8, parameters: String) -> Key {
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            default: return .unknown
            }
        default:
            return .unknown
        }
    }
}
