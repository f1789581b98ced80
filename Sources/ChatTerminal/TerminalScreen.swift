import ChatProtocol

/// The terminal client's screen: a ``ScreenState`` drawn on the client's own terminal.
///
/// An actor, so key handling, incoming events and animations never interleave their escape codes. While a train
/// animates, incoming lines wait in a backlog and appear when it has passed.
public actor TerminalScreen {
    private let write: @Sendable (String) -> Void
    private let columns: @Sendable () -> Int
    private var state: ScreenState

    /// - Parameters:
    ///   - write: sends bytes to the terminal.
    ///   - columns: the terminal's current width.
    public init(
        editor: LineEditor,
        write: @escaping @Sendable (String) -> Void,
        columns: @escaping @Sendable () -> Int
    ) {
        self.state = ScreenState(editor: editor, columns: columns())
        self.write = write
        self.columns = columns
    }

    /// Prints lines above the prompt, then redraws the prompt as it was.
    public func print(_ lines: [String], bell: Bool = false) {
        self.draw { $0.print(lines, bell: bell) }
    }

    /// Applies a key to the prompt line and redraws it.
    public func handle(_ key: Key) -> LineEditor.Action {
        self.handle([key]).last ?? .edited
    }

    /// Applies keys (one read's worth) and redraws the prompt once (``ScreenState/handle(_:)``). Returns the actions
    /// that ask something of the program, in order.
    public func handle(_ keys: [Key]) -> [LineEditor.Action] {
        var actions: [LineEditor.Action] = []
        self.draw { state in
            let (output, keyActions) = state.handle(keys)
            actions = keyActions
            return output
        }
        return actions
    }

    /// The server asked a question: the next line typed is its answer, hidden (and kept out of history) when
    /// `secret`.
    public func beginAnswer(secret: Bool) {
        self.draw { $0.beginAnswer(secret: secret) }
    }

    /// Draws the prompt line again, e.g. after the terminal was resized (SIGWINCH): the old one may have wrapped.
    public func redraw() {
        self.draw { $0.redraw() }
    }

    /// Updates what Tab completes.
    public func updateCompletions(_ update: @Sendable (inout LineEditor) -> Void) {
        update(&self.state.editor)
    }

    /// Drives `lines` across the terminal from right to left, as `sl` does, then removes them. The prompt stays
    /// usable throughout.
    public func animate(_ lines: [String], frameDelay: Duration = .milliseconds(25)) async {
        self.state.columns = self.columns()
        guard let start = self.state.beginAnimation(height: lines.count) else { return }
        self.write(start)
        let artWidth = lines.map(TerminalWidth.of).max() ?? 0
        for offset in self.state.animationOffsets(artWidth: artWidth) {
            self.draw { $0.animationFrame(lines, offset: offset) }
            try? await Task.sleep(for: frameDelay)
        }
        self.draw { $0.endAnimation(height: lines.count) }
    }

    /// Clears the prompt line before exiting, leaving the cursor at the start of an empty line.
    public func finish() {
        self.write(self.state.finish())
    }

    /// Brings the width up to date, applies `change`, and writes what it drew (if anything).
    private func draw(_ change: (inout ScreenState) -> String) {
        self.state.columns = self.columns()
        let output = change(&self.state)
        if !output.isEmpty { self.write(output) }
    }
}
