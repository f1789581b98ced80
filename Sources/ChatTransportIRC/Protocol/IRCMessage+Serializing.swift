/// Writing an ``IRCMessage`` as one line.
extension IRCMessage {
    /// The message as one line, without its line end: tags escaped, the last parameter written as trailing
    /// (`:text`) when it must be (empty, with a space, or starting with `:`). Characters IRC cannot carry inside a
    /// line (NUL, CR, LF) are replaced by spaces, so no parameter can smuggle a second line.
    public var line: String {
        var line = ""
        if !self.tags.isEmpty {
            line += "@"
            line += self.tags.map { tag in
                tag.value.map { "\(tag.key)=\(Self.escape($0))" } ?? tag.key
            }.joined(separator: ";")
            line += " "
        }
        if let source = self.source {
            line += ":" + Self.oneLine(source) + " "
        }
        line += self.command
        for (index, parameter) in self.parameters.enumerated() {
            let parameter = Self.oneLine(parameter)
            let isLast = index == self.parameters.count - 1
            let needsTrailing = Self.needsTrailingForm(parameter)
            if isLast && needsTrailing {
                line += " :" + parameter
            } else if needsTrailing {
                // Not a middle parameter IRC can carry (a caller's mistake): a placeholder, never a shifted message.
                line += " *"
            } else {
                line += " " + parameter
            }
        }
        return line
    }

    /// A tag value escaped as IRCv3 says (the inverse of ``unescape(_:)``).
    static func escape(_ value: String) -> String {
        // By scalar, not by Character: CR LF is one Character, and must become `\r\n`.
        var escaped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case ";": escaped.append(contentsOf: "\\:".unicodeScalars)
            case " ": escaped.append(contentsOf: "\\s".unicodeScalars)
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\r": escaped.append(contentsOf: "\\r".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// Whether `parameter` can only travel as the trailing one: empty, with a space, or starting with `:`.
    /// By byte, as the parser splits: a space followed by a combining mark is one `Character`, which
    /// `contains(" ")` would miss, and the line would split there when read back.
    private static func needsTrailingForm(_ parameter: String) -> Bool {
        let bytes = parameter.utf8
        return bytes.isEmpty || bytes.contains(UInt8(ascii: " ")) || bytes.first == UInt8(ascii: ":")
    }

    /// `text` with NUL, CR and LF made spaces.
    private static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0 || $0 == 0x0D || $0 == 0x0A }) else { return text }
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0 == "\0" || $0 == "\r" || $0 == "\n" ? " " : $0 }
            )
        )
    }
}
