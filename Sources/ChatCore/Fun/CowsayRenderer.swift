import ChatProtocol

/// Draws cowsay and cowthink pictures without the real tool, byte for byte like it for the default cow. Balloons are
/// sized in terminal columns, as the real tool does, so emoji and CJK text line up too.
public enum CowsayRenderer {
    /// cowsay's default wrap column: lines hold at most `width - 1` characters.
    public static let defaultWidth = 40

    /// `/cowsay` (speech) or `/cowthink` (thought).
    public enum Style: Sendable {
        case say
        case think
    }

    /// The whole picture, one string per line, without newlines.
    public static func render(
        _ text: String,
        style: Style = .say,
        cow: Cow = .default,
        eyes: String = "oo",
        tongue: String = "  ",
        width: Int = Self.defaultWidth
    ) -> [String] {
        let lines = self.wrap(text, width: width)
        let thoughts = style == .think ? "o" : "\\"
        // cowsay takes the first two characters of -e, padding nothing: `-e x` gives one eye.
        let eyes = String(eyes.prefix(2))
        let tongue = String(tongue.prefix(2))
        return self.balloon(lines, style: style) + cow.lines(thoughts: thoughts, eyes: eyes, tongue: tongue)
    }

    /// Text::Wrap's `fill` as cowsay uses it: whitespace runs become one space, then greedy wrapping at
    /// `width - 1` characters, breaking words longer than that.
    static func wrap(_ text: String, width: Int) -> [String] {
        let limit = max(1, width - 1)
        let collapsed = Self.collapsingWhitespace(text)
        var lines: [String] = []
        var rest = Substring(collapsed)
        // Stop once only separators are left (Text::Wrap's `\G(?:$break)*\Z`).
        while !rest.allSatisfy({ $0 == " " }) {
            if rest.count <= limit {
                lines.append(String(rest))
                break
            }
            // The longest prefix of at most `limit` characters that is followed by a space.
            let window = rest.prefix(limit + 1)
            if let space = window.lastIndex(of: " ") {
                lines.append(String(rest[..<space]))
                rest = rest[rest.index(after: space)...]
            } else {
                lines.append(String(rest.prefix(limit)))
                rest = rest.dropFirst(limit)
            }
        }
        return lines.isEmpty ? [""] : lines
    }

    private static func collapsingWhitespace(_ text: String) -> String {
        var output = ""
        var previousWasSpace = false
        for character in text {
            if character.isWhitespace {
                if !previousWasSpace { output.append(" ") }
                previousWasSpace = true
            } else {
                output.append(character)
                previousWasSpace = false
            }
        }
        return output
    }

    /// The balloon: `< >` for one line, `/ \ | | \ /` for several, `( )` for thoughts.
    static func balloon(_ lines: [String], style: Style) -> [String] {
        let width = lines.map(TerminalWidth.of).max() ?? 0
        let pad: (String) -> String = { $0 + String(repeating: " ", count: width - TerminalWidth.of($0)) }
        var output = [" " + String(repeating: "_", count: width + 2)]
        for (index, line) in lines.enumerated() {
            let (left, right): (String, String)
            switch style {
            case .think:
                (left, right) = ("(", ")")
            case .say where lines.count == 1:
                (left, right) = ("<", ">")
            case .say where index == 0:
                (left, right) = ("/", "\\")
            case .say where index == lines.count - 1:
                (left, right) = ("\\", "/")
            case .say:
                (left, right) = ("|", "|")
            }
            output.append("\(left) \(pad(line)) \(right)")
        }
        output.append(" " + String(repeating: "-", count: width + 2))
        return output
    }
}
