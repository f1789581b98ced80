import ChatCore
import ChatTerminal
import Testing

/// Bytes from a terminal and the keys they must decode to, shown escaped so a failing case cannot drive the
/// terminal that reads the test results.
struct KeyCase: Sendable, CustomTestStringConvertible {
    let bytes: [UInt8]
    let keys: [Key]

    init(_ text: String, _ keys: Key...) {
        self.bytes = Array(text.utf8)
        self.keys = keys
    }

    init(bytes: [UInt8], _ keys: Key...) {
        self.bytes = bytes
        self.keys = keys
    }

    var testDescription: String {
        "\(String(reflecting: String(decoding: self.bytes, as: UTF8.self))) → \(self.keys)"
    }
}
