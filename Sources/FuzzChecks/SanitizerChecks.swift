import ChatCore
import ChatProtocol
import NIOCore

/// `Sanitizer` on arbitrary bytes (decoded as UTF-8 the way the server decodes a line).
///
/// "Removed" is whatever `Sanitizer.containsControl` reports, so these properties keep holding when the sanitiser
/// learns to remove more (bidi controls, invisible characters). Properties:
/// - the output contains nothing the sanitiser would remove, and in particular no C0 control but TAB, no DEL,
///   no C1 control and no ESC: nothing that could drive a terminal;
/// - cleaning is idempotent, and `text(from:)` equals `clean` of the UTF-8 decoding;
/// - cleaning only removes: the output's scalars are a subsequence of the input's;
/// - text without an escape or C1 string introducer loses exactly its removable scalars and nothing else.
enum SanitizerChecks {
    /// ESC and the C1 controls that open a sequence or string (CSI, DCS, SOS, OSC, PM, APC): after one of these the
    /// sanitiser also drops the characters of the sequence.
    static let introducers: Set<UInt32> = [0x1B, 0x9B, 0x90, 0x98, 0x9D, 0x9E, 0x9F]

    static func check(_ input: [UInt8]) throws {
        let text = String(decoding: input, as: UTF8.self)
        let cleaned = Sanitizer.clean(text)
        let scalars = Array(text.unicodeScalars)
        let output = Array(cleaned.unicodeScalars)

        try Self.requireSafe(cleaned, from: input)
        let again = Sanitizer.clean(cleaned)
        try PropertyViolation.require(
            Array(again.unicodeScalars) == output,
            "not idempotent: \(Self.hex(cleaned)) cleans to \(Self.hex(again))"
        )
        let fromBytes = Sanitizer.text(from: ByteBuffer(bytes: input))
        try PropertyViolation.require(
            Array(fromBytes.unicodeScalars) == output,
            "text(from:) gives \(Self.hex(fromBytes)), clean gives \(Self.hex(cleaned))"
        )
        try PropertyViolation.require(
            Self.isSubsequence(output, of: scalars),
            "the output \(Self.hex(cleaned)) has scalars the input \(Self.hex(text)) does not"
        )
        if !scalars.contains(where: { Self.introducers.contains($0.value) }) {
            let expected = scalars.filter { !Self.isRemoved($0) }
            try PropertyViolation.require(
                output == expected,
                "without escapes \(Self.hex(text)) should clean to "
                    + "\(Self.hex(String(String.UnicodeScalarView(expected)))), got \(Self.hex(cleaned))"
            )
        }
    }

    /// Fails unless `text` is safe to print on another person's terminal.
    static func requireSafe(_ text: String, from input: [UInt8]) throws(PropertyViolation) {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            try PropertyViolation.require(
                value == 0x09 || !(value < 0x20 || (0x7F...0x9F).contains(value)),
                "control U+\(String(value, radix: 16)) survived cleaning \(input)"
            )
            try PropertyViolation.require(
                !Self.isRemoved(scalar),
                "U+\(String(value, radix: 16)) survived cleaning although the sanitiser removes it"
            )
        }
    }

    /// The sanitiser's own verdict on one scalar.
    static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        Sanitizer.containsControl(String(Character(scalar)))
    }

    static func isSubsequence(_ small: [Unicode.Scalar], of large: [Unicode.Scalar]) -> Bool {
        var iterator = large.makeIterator()
        return small.allSatisfy { wanted in
            while let next = iterator.next() {
                if next == wanted { return true }
            }
            return false
        }
    }

    /// The text's scalars in hex, for failure messages.
    static func hex(_ text: String) -> String {
        "[" + text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ") + "]"
    }
}
