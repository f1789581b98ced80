import ChatProtocol

/// What the chat's terminal screen shows, and the escape codes that draw it, without any I/O: incoming lines scroll
/// by above a prompt line whose typed text and cursor are redrawn after every print, so nothing ever clobbers what
/// is being typed. Each change returns the bytes to write.
///
/// Shared by the terminal client (``TerminalScreen`` writes to its own terminal) and the server's SSH door (which
/// writes to the user's terminal over SSH), so both draw the same screen the same way.
public struct ScreenState: Sendable {
    public var editor: LineEditor
    /// The terminal's width, in columns.
    public var columns: Int
    /// The prompt shown before typed text.
    public var promptLabel = "> "
    /// A train is crossing: incoming lines wait in a backlog and appear when it has passed.
    public private(set) var isAnimating = false
    private var backlog: [String] = []

    public init(editor: LineEditor, columns: Int) {
        self.editor = editor
        self.columns = columns
    }

    /// Prints lines above the prompt, then redraws the prompt as it was. While a train crosses, the lines wait.
    public mutating func print(_ lines: [String], bell: Bool = false) -> String {
        guard !lines.isEmpty else { return "" }
        if self.isAnimating {
            self.backlog += lines
            return ""
        }
        var output = "\r\u{1B}[K" + lines.joined(separator: "\n") + "\n"
        if bell { output += "\u{07}" }
        return output + self.promptText()
    }

    /// Applies keys (one read's worth: a paste can be thousands) and redraws the prompt once, not once per key, so a
    /// long paste costs one redraw. `actions` are those that ask something of the program (submitted and answered
    /// lines, quitting), in order; editing ends with one `.edited` or `.clearScreen` for the batch.
    public mutating func handle(_ keys: [Key]) -> (output: String, actions: [LineEditor.Action]) {
        var actions: [LineEditor.Action] = []
        var clears = false
        for key in keys {
            let action = self.editor.apply(key)
            switch action {
            case .edited: break
            case .clearScreen: clears = true
            case .submit, .answer, .quit: actions.append(action)
            }
        }
        var output = clears ? "\u{1B}[H\u{1B}[2J" : ""
        if self.editor.overflowed {
            self.editor.overflowed = false
            let limit = LineEditor.maximumBytes / 1024
            output += "\r\u{1B}[K! The line is full (\(limit) KiB); the rest of what you typed or pasted was dropped.\n"
        }
        if actions.isEmpty { actions.append(clears ? .clearScreen : .edited) }
        return (output + self.promptText(), actions)
    }

    /// The program asked a question: the next line typed is its answer, hidden (and kept out of history) when
    /// `secret`.
    public mutating func beginAnswer(secret: Bool) -> String {
        self.editor.isAnswering = true
        self.editor.isSecret = secret
        return self.promptText()
    }

    /// The prompt line drawn again, e.g. after the terminal was resized: the old one may have wrapped.
    public func redraw() -> String {
        "\r\u{1B}[J" + self.promptText()
    }

    /// Clears the prompt line before leaving, with the cursor at the start of an empty line.
    public func finish() -> String {
        "\r\u{1B}[K"
    }

    // MARK: The train

    /// Starts an animation `height` lines tall: room is made above the prompt, which moves down. Nil while another
    /// one runs (it is not started).
    public mutating func beginAnimation(height: Int) -> String? {
        guard height > 0, !self.isAnimating else { return nil }
        self.isAnimating = true
        return "\r\u{1B}[K" + String(repeating: "\n", count: height) + self.promptText()
    }

    /// One frame: `lines` placed at column `offset` (negative: partly off the left edge) in the reserved area.
    public func animationFrame(_ lines: [String], offset: Int) -> String {
        var frame = "\u{1B}[\(lines.count)A"
        for line in lines {
            frame += "\r\u{1B}[K" + Self.slice(line, at: offset, width: self.columns) + "\n"
        }
        return frame + self.promptText()
    }

    /// Ends the animation: the reserved area goes, and whatever arrived meanwhile is printed.
    public mutating func endAnimation(height: Int) -> String {
        guard self.isAnimating else { return "" }
        self.isAnimating = false
        let waiting = self.backlog
        self.backlog = []
        return "\u{1B}[\(height)A\r\u{1B}[J" + self.promptText() + self.print(waiting)
    }

    /// The columns of the first frame and the step between frames, for art `artWidth` columns wide: it enters at
    /// the right edge and moves two columns left per frame until it has left.
    public func animationOffsets(artWidth: Int) -> StrideTo<Int> {
        stride(from: self.columns, to: -artWidth, by: -2)
    }

    /// `line` placed at column `offset` (negative: partly off the left edge), clipped to `width`.
    static func slice(_ line: String, at offset: Int, width: Int) -> String {
        guard width > 0 else { return "" }
        if offset >= 0 {
            guard offset < width else { return "" }
            return String(repeating: " ", count: offset) + Self.prefix(of: Substring(line), columns: width - offset)
        }
        var skipped = 0
        var rest = Substring(line)
        while skipped < -offset, let first = rest.first {
            skipped += TerminalWidth.of(first)
            rest = rest.dropFirst()
        }
        // A wide character cut by the left edge leaves a blank column, so the rest keeps its place.
        guard skipped >= -offset else { return "" }
        let overshoot = min(skipped - (-offset), width)
        return String(repeating: " ", count: overshoot) + Self.prefix(of: rest, columns: width - overshoot)
    }

    private static func prefix(of text: Substring, columns: Int) -> String {
        var used = 0
        var result = ""
        for character in text {
            let width = TerminalWidth.of(character)
            if used + width > columns { break }
            result.append(character)
            used += width
        }
        return result
    }

    /// The prompt line, scrolled horizontally so the cursor is always visible, with the cursor placed.
    private func promptText() -> String {
        let label = self.editor.isSecret ? "password: " : self.editor.isAnswering ? "answer: " : self.promptLabel
        let text = self.editor.isSecret ? [] : self.editor.text
        let cursor = self.editor.isSecret ? 0 : self.editor.cursor
        let available = max(1, self.columns - TerminalWidth.of(label) - 1)
        // Scroll so the text before the cursor fits.
        var start = 0
        var widthBeforeCursor = text[0..<cursor].reduce(0) { $0 + TerminalWidth.of($1) }
        while widthBeforeCursor > available, start < cursor {
            widthBeforeCursor -= TerminalWidth.of(text[start])
            start += 1
        }
        let visible = Self.prefix(of: Substring(String(text[start...])), columns: available)
        let column = TerminalWidth.of(label) + widthBeforeCursor
        return "\r\u{1B}[K" + label + visible + "\r" + (column > 0 ? "\u{1B}[\(column)C" : "")
    }
}
