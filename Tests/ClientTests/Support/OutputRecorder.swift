import ChatTesting

/// A terminal stand-in for ``TerminalScreen``: records every write, in order.
final class OutputRecorder: Sendable {
    private let chunks = LockedValue<[String]>([])

    /// The closure to hand to the screen as its `write`.
    var write: @Sendable (String) -> Void {
        { text in self.chunks.withLock { $0.append(text) } }
    }

    /// Every write so far.
    var writes: [String] {
        self.chunks.value
    }

    /// Everything written so far, as one string.
    var output: String {
        self.writes.joined()
    }

    /// What a terminal of this size would show after all the writes.
    func screen(rows: Int = 10, columns: Int) -> VirtualScreen {
        var screen = VirtualScreen(rows: rows, columns: columns)
        screen.feed(terminalOutput: self.output)
        return screen
    }
}
