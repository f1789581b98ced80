/// Splits plugin arguments into argv words the way a shell would, without ever involving one.
///
/// Spaces separate words; `'…'` and `"…"` group words; a backslash escapes the next character (outside single
/// quotes). Nothing is expanded: `$(…)`, backticks, `;`, `|`, `*` and `~` stay literal text in the words.
///
/// The text is read scalar by scalar, as a shell reads bytes, not by grapheme cluster: a quote or a space followed
/// by a combining mark (`'\u{301}`) is still a quote or a space.
public enum ShellWords {
    /// The input ended inside a quote.
    public struct UnterminatedQuote: Error, Equatable, CustomStringConvertible {
        public let quote: Character
        public var description: String { "unterminated \(self.quote) quote" }
    }

    public static func split(_ text: String) throws(UnterminatedQuote) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var quote: Unicode.Scalar?
        var escaped = false
        for character in text.unicodeScalars {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("'", _):
                current.append(character)
            case ("\"", "\\"), (nil, "\\"):
                escaped = true
                inWord = true
            case ("\"", _):
                current.append(character)
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case (nil, " "), (nil, "\t"):
                if inWord {
                    words.append(String(current))
                    current = String.UnicodeScalarView()
                    inWord = false
                }
            default:
                current.append(character)
                inWord = true
            }
        }
        if let quote { throw UnterminatedQuote(quote: Character(quote)) }
        if escaped { current.append("\\") }
        if inWord { words.append(String(current)) }
        return words
    }
}
