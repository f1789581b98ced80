/// IRC's formatting codes (bold, colours, italics, reverse, reset...), which are control characters to everyone
/// else. Text from an IRC client is stripped of them before it reaches the chat, so a plain `nc` user never gets
/// them and the words stay readable: `\u{03}04red` becomes `red`, not `04red`.
enum IRCFormatting {
    /// `text` without formatting codes: bold (02), colour (03 with up to two digits, and a comma and two more for
    /// the background), hex colour (04 with six hex digits), reset (0F), monospace (11), reverse (16), italics
    /// (1D), strike-through (1E) and underline (1F). Other control characters are left for the chat's sanitiser.
    static func strip(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return text }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x02, 0x0F, 0x11, 0x16, 0x1D, 0x1E, 0x1F:
                continue
            case 0x03:
                if Self.dropDigits(&scalars, upTo: 2) > 0, scalars.first == ",",
                    scalars.dropFirst().first.map(Self.isDigit) == true
                {
                    scalars.removeFirst()
                    Self.dropDigits(&scalars, upTo: 2)
                }
            case 0x04:
                if scalars.prefix(6).count == 6, scalars.prefix(6).allSatisfy(\.properties.isASCIIHexDigit) {
                    scalars.removeFirst(6)
                    if scalars.first == ",", scalars.dropFirst().prefix(6).count == 6,
                        scalars.dropFirst().prefix(6).allSatisfy(\.properties.isASCIIHexDigit)
                    {
                        scalars.removeFirst(7)
                    }
                }
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    @discardableResult
    private static func dropDigits(_ scalars: inout Substring.UnicodeScalarView, upTo limit: Int) -> Int {
        var dropped = 0
        while dropped < limit, let first = scalars.first, Self.isDigit(first) {
            scalars.removeFirst()
            dropped += 1
        }
        return dropped
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }
}
