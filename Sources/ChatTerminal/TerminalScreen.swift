import ChatProtocol

/// The interactive client's screen: incoming lines scroll by above a prompt line whose typed text and cursor are
/// redrawn after every print, so nothing ever clobbers what you are typing.
///
/// An actor, so key handling, incoming events and animations never interleave their escape codes. While a train
/// animates, incoming lines wait in a backlog and appear when it has passed.
public actor TerminalScreen {
    private let write: @Sendable (String) -> Void
    private let columns: @Sendable () -> Int
    private var editor: LineEditor
    private var isAnimating = false
    private var backlog: [String] = []
    /// The prompt shown before typed text.
    public var promptLabel = "> "

    /// - Parameters:
    ///   - write: sends bytes to the terminal.
    ///   - columns: the terminal's current width.
    public init(
        editor: LineEditor,
        write: @escaping @Sendable (String) -> Void,
        columns: @escaping @Sendable () -> Int
    ) {
        self.editor = editor
        self.write = write
        self.columns = columns
    }

    /// Prints lines above the prompt, then redraws the prompt as it was.
    public func print(_ lines: [String], bell: Bool = false) {
        guard !lines.isEmpty else { return }
        if self.isAnimating {
            self.backlog += lines
            return
        }
        var output = "\r\u{1B}[K" + lines.joined(separator: "\n") + "\n"
        if bell { output += "\u{07}" }
        self.write(output + self.promptText())
    }

    /// Applies a key to the prompt line and redraws it.
    public func handle(_ key: Key) -> LineEditor.Action {
        self.handle([key]).last ?? .edited
    }

    /// Applies keys (one read's worth: a paste can be thousands) and redraws the prompt once, not once per key, so a
    /// long paste costs one redraw. Returns the actions that ask something of the program (submitted and answered
    /// lines, quitting), in order; editing ends with one `.edited` or `.clearScreen` for the batch.
    public func handle(_ keys: [Key]) -> [LineEditor.Action] {
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
        self.write(output + self.promptText())
        if actions.isEmpty { actions.append(clears ? .clearScreen : .edited) }
        return actions
    }

    /// The server asked a question: the next line typed is its answer, hidden (and kept out of history) when
    /// `secret`.
    public func beginAnswer(secret: Bool) {
        self.editor.isAnswering = true
        self.editor.isSecret = secret
        self.write(self.promptText())
    }

    /// Draws the prompt line again, e.g. after the terminal was resized (SIGWINCH): the old one may have wrapped.
    public func redraw() {
        self.write("\r\u{1B}[J" + self.promptText())
    }

    /// Updates what Tab completes.
    public func updateCompletions(_ update: @Sendable (inout LineEditor) -> Void) {
        update(&self.editor)
    }

    /// Drives `lines` across the terminal from right to left, as `sl` does, then removes them. The prompt stays
    /// usable throughout.
    public func animate(_ lines: [String], frameDelay: Duration = .milliseconds(25)) async {
        guard !lines.isEmpty, !self.isAnimating else { return }
        self.isAnimating = true
        let height = lines.count
        let artWidth = lines.map(TerminalWidth.of).max() ?? 0
        // Make room: the prompt moves down below the reserved area.
        self.write("\r\u{1B}[K" + String(repeating: "\n", count: height) + self.promptText())
        var offset = self.columns()
        while offset > -artWidth {
            let width = self.columns()
            var frame = "\u{1B}[\(height)A"
            for line in lines {
                frame += "\r\u{1B}[K" + Self.slice(line, at: offset, width: width) + "\n"
            }
            self.write(frame + self.promptText())
            try? await Task.sleep(for: frameDelay)
            offset -= 2
        }
        // Remove the reserved area and print whatever arrived meanwhile.
        self.write("\u{1B}[\(height)A\r\u{1B}[J" + self.promptText())
        self.isAnimating = false
        let waiting = self.backlog
        self.backlog = []
        self.print(waiting)
    }

    /// Clears the prompt line before exiting, leaving the cursor at the start of an empty line.
    public func finish() {
        self.write("\r\u{1B}[K")
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
        let available = max(1, self.columns() - TerminalWidth.of(label) - 1)
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
