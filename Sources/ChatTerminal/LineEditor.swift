import ChatProtocol

/// The prompt line's text, cursor and history, edited key by key. Pure state: drawing is ``PromptRenderer``'s job.
public struct LineEditor: Sendable {
    /// What a key press asks of the program.
    public enum Action: Sendable, Equatable {
        /// Nothing beyond redrawing the line.
        case edited
        /// Enter: send this line.
        case submit(String)
        /// Enter at a question's prompt (``LineEditor/isAnswering``): this line answers it, and is never chat.
        case answer(String)
        /// Ctrl-C, or Ctrl-D on an empty line.
        case quit
        /// Ctrl-L: clear the screen and redraw.
        case clearScreen
    }

    /// The line as characters (grapheme clusters), so one emoji is one cursor step.
    public private(set) var text: [Character] = []
    /// The cursor, as an index into ``text``.
    public private(set) var cursor = 0
    /// Sent lines, oldest first, at most ``historyLimit``.
    public private(set) var history: [String] = []
    /// The most history lines kept.
    public static let historyLimit = 500
    /// The longest line the editor holds, in bytes: a generous paste. A line over the server's 4096 bytes is split
    /// when it is sent (``LineSplitter``); past this, typed or pasted text is dropped and ``overflowed`` says so.
    public static let maximumBytes = 64 * 1024

    /// The line's length in UTF-8 bytes, kept as it changes: a paste inserts thousands of characters one by one.
    private var byteCount = 0
    /// Set when text was dropped because the line was full; the screen says so once and clears it.
    public var overflowed = false

    private var historyIndex: Int?
    private var draft: [Character] = []
    /// The last Tab's candidates, so the next Tab cycles to the following one.
    private var cycle: (start: Int, candidates: [String], index: Int, result: [Character])?
    /// Candidates for Tab: nicknames, commands, emoji shortcodes.
    private let completer: @Sendable (_ word: String, _ isFirstWord: Bool) -> [String]

    public init(completer: @escaping @Sendable (_ word: String, _ isFirstWord: Bool) -> [String] = { _, _ in [] }) {
        self.completer = completer
    }

    /// The line as a string.
    public var line: String { String(self.text) }

    /// While true (a password is being typed) lines are not kept in history and the prompt hides the text.
    public var isSecret = false
    /// While true the server has asked a question (a password, a nickname) and the next line is its answer. Enter
    /// ends it (and secrecy) and returns ``Action/answer(_:)``.
    public var isAnswering = false

    /// Applies one key.
    public mutating func apply(_ key: Key) -> Action {
        if key != .tab { self.cycle = nil }
        switch key {
        case .character(let character):
            self.insert(character)
        case .enter:
            let line = self.line
            self.setLine("")
            self.historyIndex = nil
            if !self.isSecret, !line.trimmingSpacesAndTabs().isEmpty, self.history.last != line {
                self.history.append(line)
                if self.history.count > Self.historyLimit { self.history.removeFirst() }
            }
            let wasAnswering = self.isAnswering
            self.isAnswering = false
            self.isSecret = false
            return wasAnswering ? .answer(line) : .submit(line)
        case .backspace, .control("h"):
            if self.cursor > 0 {
                self.cursor -= 1
                self.remove(at: self.cursor)
            }
        case .delete:
            if self.cursor < self.text.count { self.remove(at: self.cursor) }
        case .control("d"):
            if self.text.isEmpty { return .quit }
            if self.cursor < self.text.count { self.remove(at: self.cursor) }
        case .control("c"):
            return .quit
        case .left, .control("b"):
            self.cursor = max(0, self.cursor - 1)
        case .right, .control("f"):
            self.cursor = min(self.text.count, self.cursor + 1)
        case .home, .control("a"):
            self.cursor = 0
        case .end, .control("e"):
            self.cursor = self.text.count
        case .control("u"):
            self.replace(0..<self.cursor, with: [])
            self.cursor = 0
        case .control("k"):
            self.replace(self.cursor..<self.text.count, with: [])
        case .control("w"):
            self.deleteWordBeforeCursor()
        case .up, .control("p"):
            self.recall(older: true)
        case .down, .control("n"):
            self.recall(older: false)
        case .tab:
            self.complete()
        case .control("l"):
            return .clearScreen
        default:
            break
        }
        return .edited
    }

    /// Replaces the whole line (used by tests and history).
    public mutating func setLine(_ line: String) {
        self.text = Array(line)
        self.byteCount = line.utf8.count
        self.cursor = self.text.count
    }

    private mutating func insert(_ character: Character) {
        let size = character.utf8.count
        guard self.byteCount + size <= Self.maximumBytes else {
            self.overflowed = true
            return
        }
        self.byteCount += size
        // Keys arrive one Unicode scalar at a time; a variation selector, skin tone, ZWJ, second flag letter or
        // combining accent belongs to the character before it, so ❤️ or é is still one cursor step.
        if self.cursor > 0 {
            let merged = String(self.text[self.cursor - 1]) + String(character)
            if merged.count == 1 {
                self.text[self.cursor - 1] = merged.first!
                return
            }
        }
        self.text.insert(character, at: self.cursor)
        self.cursor += 1
    }

    private mutating func remove(at index: Int) {
        self.byteCount -= self.text[index].utf8.count
        self.text.remove(at: index)
    }

    /// Replaces `range` of the text, keeping the byte count (the cursor is the caller's).
    private mutating func replace(_ range: Range<Int>, with characters: [Character]) {
        self.byteCount -= self.text[range].reduce(0) { $0 + $1.utf8.count }
        self.byteCount += characters.reduce(0) { $0 + $1.utf8.count }
        self.text.replaceSubrange(range, with: characters)
    }

    private mutating func deleteWordBeforeCursor() {
        var start = self.cursor
        while start > 0, self.text[start - 1] == " " { start -= 1 }
        while start > 0, self.text[start - 1] != " " { start -= 1 }
        self.replace(start..<self.cursor, with: [])
        self.cursor = start
    }

    private mutating func recall(older: Bool) {
        guard !self.history.isEmpty else { return }
        switch (self.historyIndex, older) {
        case (nil, true):
            self.draft = self.text
            self.historyIndex = self.history.count - 1
        case (nil, false):
            return
        case (let index?, true):
            self.historyIndex = max(0, index - 1)
        case (let index?, false):
            if index + 1 >= self.history.count {
                self.historyIndex = nil
                self.setLine(String(self.draft))
                return
            }
            self.historyIndex = index + 1
        }
        self.setLine(self.history[self.historyIndex!])
    }

    /// Completes the word before the cursor with the best candidate (the completer ranks them); pressing Tab
    /// again cycles through the others. A lone candidate gets a trailing space, or `: ` for a nickname at the
    /// start of the line.
    private mutating func complete() {
        if var cycle = self.cycle, self.text == cycle.result, cycle.candidates.count > 1 {
            cycle.index = (cycle.index + 1) % cycle.candidates.count
            self.replaceWord(from: cycle.start, with: cycle.candidates[cycle.index])
            cycle.result = self.text
            self.cycle = cycle
            return
        }
        var start = self.cursor
        while start > 0, self.text[start - 1] != " " { start -= 1 }
        let word = String(self.text[start..<self.cursor])
        guard !word.isEmpty else { return }
        let candidates = self.completer(word, start == 0).filter { $0.lowercased().hasPrefix(word.lowercased()) }
        guard let first = candidates.first else { return }
        var completion = first
        if candidates.count == 1 {
            let isNickname = !first.hasPrefix("/") && !first.hasPrefix(":")
            completion += isNickname && start == 0 ? ": " : " "
        }
        self.replaceWord(from: start, with: completion)
        self.cycle = (start, candidates, 0, self.text)
    }

    private mutating func replaceWord(from start: Int, with replacement: String) {
        self.replace(start..<self.cursor, with: Array(replacement))
        self.cursor = start + replacement.count
    }
}
