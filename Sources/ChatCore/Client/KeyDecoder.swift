/// Turns raw terminal input (UTF-8 and VT100/xterm escape sequences) into ``Key``s.
///
/// Bytes can arrive split anywhere, even inside an escape sequence or a multi-byte character, so the decoder keeps
/// what it cannot decode yet for the next call. A lone ESC (or a sequence we do not know) is dropped rather than
/// inserted, so no escape byte ever lands in a message.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Decodes `bytes` (plus whatever was left over) into keys.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        self.pending.append(contentsOf: bytes)
        var keys: [Key] = []
        var index = 0
        while index < self.pending.count {
            guard let (key, length) = Self.decodeOne(self.pending[index...]) else { break }
            if let key { keys.append(key) }
            index += length
        }
        self.pending.removeFirst(index)
        // An escape sequence that never completes must not block input forever.
        if self.pending.count > 16 { self.pending.removeAll() }
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
                if (0x40...0x7E).contains(byte) {
                    let parameters = String(decoding: bytes[(bytes.startIndex + 2)..<index], as: UTF8.self)
                    return (Self.key(final: byte, parameters: parameters), index - bytes.startIndex + 1)
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
