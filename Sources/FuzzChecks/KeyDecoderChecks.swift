import ChatCore
import ChatProtocol
import ChatTerminal

/// The client's `KeyDecoder` on raw terminal bytes, delivered whole, byte by byte and in pseudo-random pieces.
///
/// Properties:
/// - every cutting of the bytes yields the same keys (a sequence split across reads decodes as if it came whole);
/// - no key carries a control character or an escape: characters are printable (per `Sanitizer`), `.control` is
///   a lower-case ASCII letter;
/// - for valid UTF-8 without ESC, each scalar becomes exactly its key (CR/LF enter, DEL/BS backspace, TAB tab,
///   ^A-^Z control letters, other controls nothing, everything else itself).
enum KeyDecoderChecks {
    static func check(_ input: [UInt8]) throws {
        let whole = Self.keys(of: [input[...]])
        for key in whole {
            switch key {
            case .character(let character):
                try PropertyViolation.require(
                    !Sanitizer.containsControl(String(character)),
                    "the control \(character.unicodeScalars.map(\.value)) decoded as a character from \(input)"
                )
            case .control(let letter):
                try PropertyViolation.require(
                    letter.isASCII && letter.isLowercase && letter.isLetter,
                    "odd control key \(letter.debugDescription) from \(input)"
                )
            default:
                break
            }
        }
        for chunks in Chunking.variants(of: input[...]) {
            let keys = Self.keys(of: chunks)
            try PropertyViolation.require(
                keys == whole,
                "pieces \(chunks.map(\.count)) of \(input) give \(keys), whole gives \(whole)"
            )
        }
        if !input.contains(0x1B), let text = String(validating: input, as: UTF8.self) {
            let expected = text.unicodeScalars.compactMap(Self.expectedKey)
            try PropertyViolation.require(whole == expected, "\(input) gives \(whole), expected \(expected)")
        }
    }

    static func keys(of chunks: [ArraySlice<UInt8>]) -> [Key] {
        var decoder = KeyDecoder()
        return chunks.flatMap { decoder.feed($0) }
    }

    /// The key one scalar typed outside any escape sequence stands for.
    static func expectedKey(_ scalar: Unicode.Scalar) -> Key? {
        switch scalar.value {
        case 0x0D, 0x0A: .enter
        case 0x7F, 0x08: .backspace
        case 0x09: .tab
        case 0x01...0x1A: .control(Character(Unicode.Scalar(scalar.value + 0x60)!))
        case _ where Sanitizer.containsControl(String(Character(scalar))): nil
        default: .character(Character(scalar))
        }
    }
}
