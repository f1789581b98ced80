/// How many terminal columns text takes: wide East Asian characters and emoji take two, combining marks none.
///
/// Terminals and the real cowsay measure this way (wcwidth); counting `Character`s would misalign a cow's balloon
/// or the client's cursor as soon as someone types 🎉 or 日本語.
public enum TerminalWidth {
    /// The width of `text` in columns.
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + Self.of($1) }
    }

    /// The width of one grapheme cluster: 0, 1 or 2 columns.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
        // An emoji shown as an emoji (by default, or asked for with VS16) is two columns.
        if first.properties.isEmojiPresentation
            || (first.properties.isEmoji && scalars.contains { $0.value == 0xFE0F })
        {
            return 2
        }
        if Self.isWide(first.value) { return 2 }
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark {
            return 0
        }
        return 1
    }

    /// East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, condensed).
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
