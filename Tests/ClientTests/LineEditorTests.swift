import ChatCore
import ChatTerminal
import ChatTesting
import TerminalClient
import Testing

@Suite struct LineEditorTests {
    /// An editor holding `text`, typed key by key, with the cursor at its end.
    private static func editor(
        typing text: String = "",
        completer: @escaping @Sendable (String, Bool) -> [String] = { _, _ in [] }
    ) -> LineEditor {
        var editor = LineEditor(completer: completer)
        editor.type(text)
        return editor
    }

    /// Where the cursor is, drawn as `|` in the line.
    private static func picture(_ editor: LineEditor) -> String {
        String(editor.text[..<editor.cursor]) + "|" + String(editor.text[editor.cursor...])
    }

    // MARK: Moving and inserting

    @Test func insertsTypedCharactersAtTheCursor() {
        var editor = Self.editor(typing: "helo")
        #expect(editor.apply(.left) == .edited)
        editor.type("l")
        #expect(Self.picture(editor) == "hell|o")
    }

    @Test(arguments: [
        ([Key.left], "hell|o"),
        ([.left, .left, .right], "hell|o"),
        ([.home], "|hello"),
        ([.control("a")], "|hello"),
        ([.home, .end], "hello|"),
        ([.home, .control("e")], "hello|"),
        ([.home, .left], "|hello"),
        ([.right], "hello|"),
        ([.control("b"), .control("b"), .control("f")], "hell|o"),
    ])
    func movesTheCursor(_ keys: [Key], _ expected: String) {
        var editor = Self.editor(typing: "hello")
        for key in keys { _ = editor.apply(key) }
        #expect(Self.picture(editor) == expected)
    }

    @Test(arguments: [
        ([Key.backspace], "hell|"),
        ([.home, .backspace], "|hello"),
        ([.left, .backspace], "hel|o"),
        ([.control("h")], "hell|"),
        ([.delete], "hello|"),
        ([.home, .delete], "|ello"),
        ([.left, .delete], "hell|"),
        ([.left, .left, .control("u")], "|lo"),
        ([.left, .left, .control("k")], "hel|"),
        ([.home, .control("k")], "|"),
        ([.control("u")], "|"),
    ])
    func deletesCharacters(_ keys: [Key], _ expected: String) {
        var editor = Self.editor(typing: "hello")
        for key in keys { _ = editor.apply(key) }
        #expect(Self.picture(editor) == expected)
    }

    @Test(arguments: [
        ("hello big world", "hello big |"),
        ("hello world   ", "hello |"),
        ("word", "|"),
        ("", "|"),
    ])
    func ctrlWDeletesTheWordBeforeTheCursor(_ typed: String, _ expected: String) {
        var editor = Self.editor(typing: typed)
        #expect(editor.apply(.control("w")) == .edited)
        #expect(Self.picture(editor) == expected)
    }

    @Test func ctrlWKeepsTheTextAfterTheCursor() {
        var editor = Self.editor(typing: "one two three")
        for _ in 0..<6 { _ = editor.apply(.left) }
        _ = editor.apply(.control("w"))
        #expect(Self.picture(editor) == "one | three")
    }

    // MARK: Leaving and submitting

    @Test func ctrlDOnAnEmptyLineQuits() {
        var editor = Self.editor()
        #expect(editor.apply(.control("d")) == .quit)
    }

    @Test func ctrlDOnALineDeletesTheCharacterUnderTheCursor() {
        var editor = Self.editor(typing: "abc")
        _ = editor.apply(.home)
        #expect(editor.apply(.control("d")) == .edited)
        #expect(Self.picture(editor) == "|bc")
        _ = editor.apply(.end)
        #expect(editor.apply(.control("d")) == .edited)
        #expect(editor.line == "bc")
    }

    @Test(arguments: ["", "half a line"])
    func ctrlCQuits(_ typed: String) {
        var editor = Self.editor(typing: typed)
        #expect(editor.apply(.control("c")) == .quit)
    }

    @Test func ctrlLAsksForAClearScreen() {
        var editor = Self.editor(typing: "abc")
        #expect(editor.apply(.control("l")) == .clearScreen)
        #expect(editor.line == "abc")
    }

    @Test func enterSubmitsTheWholeLineAndClearsIt() {
        var editor = Self.editor(typing: "hello world")
        _ = editor.apply(.home)
        #expect(editor.apply(.enter) == .submit("hello world"))
        #expect(editor.line == "")
        #expect(editor.cursor == 0)
    }

    // MARK: History

    @Test func upAndDownWalkTheHistoryAndRestoreTheDraft() {
        var editor = Self.editor()
        for line in ["one", "two"] {
            editor.type(line)
            _ = editor.apply(.enter)
        }
        editor.type("dra")
        _ = editor.apply(.up)
        #expect(editor.line == "two")
        #expect(editor.cursor == 3)
        _ = editor.apply(.up)
        #expect(editor.line == "one")
        _ = editor.apply(.up)
        #expect(editor.line == "one", "the oldest line stays")
        _ = editor.apply(.down)
        #expect(editor.line == "two")
        _ = editor.apply(.control("n"))
        #expect(Self.picture(editor) == "dra|")
        _ = editor.apply(.down)
        #expect(editor.line == "dra")
    }

    @Test func upWithoutHistoryKeepsTheLine() {
        var editor = Self.editor(typing: "draft")
        _ = editor.apply(.up)
        _ = editor.apply(.down)
        #expect(editor.line == "draft")
    }

    @Test func keepsNoConsecutiveDuplicatesOrBlankLinesInHistory() {
        var editor = Self.editor()
        for line in ["same", "same", "   ", "", "other", "same"] {
            editor.type(line)
            _ = editor.apply(.enter)
        }
        #expect(editor.history == ["same", "other", "same"])
    }

    @Test func keepsSecretLinesOutOfHistory() {
        var editor = Self.editor()
        editor.type("/join #games")
        _ = editor.apply(.enter)
        editor.isSecret = true
        editor.type("hunter2")
        #expect(editor.apply(.enter) == .submit("hunter2"))
        #expect(editor.history == ["/join #games"])
        _ = editor.apply(.up)
        #expect(editor.line == "/join #games")
    }

    @Test func keepsAtMostTheHistoryLimit() {
        var editor = Self.editor()
        for number in 0...LineEditor.historyLimit {
            editor.type("line \(number)")
            _ = editor.apply(.enter)
        }
        #expect(editor.history.count == LineEditor.historyLimit)
        #expect(editor.history.first == "line 1")
    }

    // MARK: Wide characters and the size cap

    @Test(arguments: ["🎉", "日", "é", "❤️", "👍🏽", "🇫🇷", "👨‍👩‍👧"])
    func movesOverAnEmojiOrWideCharacterInOneStep(_ character: Character) {
        var editor = Self.editor(typing: "a")
        _ = editor.apply(.character(character))
        editor.type("b")
        #expect(editor.text.count == 3)
        _ = editor.apply(.left)
        _ = editor.apply(.left)
        #expect(Self.picture(editor) == "a|\(character)b")
        _ = editor.apply(.delete)
        #expect(editor.line == "ab")
    }

    @Test(arguments: ["❤️", "👍🏽", "🇫🇷", "e\u{301}"])
    func keepsAMultiScalarCharacterTypedThroughTheKeyDecoderAsOneCursorStep(_ typed: String) {
        // The terminal sends a multi-scalar grapheme as one burst of bytes; the decoder yields one key per scalar.
        var decoder = KeyDecoder()
        var editor = Self.editor()
        for key in decoder.feed(Array(typed.utf8)) { _ = editor.apply(key) }
        #expect(editor.line == typed)
        #expect(editor.text.count == 1, "cursor steps: \(editor.text.count)")
        _ = editor.apply(.backspace)
        #expect(editor.line == "", "Backspace left \(String(reflecting: editor.line))")
    }

    @Test func refusesInputBeyondTheServersLineLimit() {
        var editor = Self.editor()
        editor.setLine(String(repeating: "a", count: LineEditor.maximumBytes - 3))
        _ = editor.apply(.character("🎉"))
        #expect(editor.line.utf8.count == LineEditor.maximumBytes - 3, "a 4-byte emoji does not fit")
        _ = editor.apply(.character("é"))
        #expect(editor.line.utf8.count == LineEditor.maximumBytes - 1)
        _ = editor.apply(.character("b"))
        #expect(editor.line.utf8.count == LineEditor.maximumBytes)
        _ = editor.apply(.character("c"))
        #expect(editor.line.utf8.count == LineEditor.maximumBytes)
        #expect(editor.line.hasSuffix("éb"))
    }

    // MARK: Tab completion

    @Test(arguments: [
        ("bo", "bob: "),
        ("hi bo", "hi bob "),
        ("/wh", "/whois "),
        ("nothing matches zz", "nothing matches zz"),
        ("", ""),
        ("hi ", "hi "),
    ])
    func completesAUniqueCandidate(_ typed: String, _ expected: String) {
        var editor = Self.editor(typing: typed) { word, _ in
            ["bob", "/whois"].filter { $0.hasPrefix(word) }
        }
        #expect(editor.apply(.tab) == .edited)
        #expect(editor.line == expected)
        #expect(editor.cursor == expected.count)
    }

    @Test func tellsTheCompleterWhetherTheWordStartsTheLine() {
        let calls = LockedValue<[String]>([])
        var editor = Self.editor(typing: "al") { word, isFirstWord in
            calls.withLock { $0.append("\(word) \(isFirstWord)") }
            return []
        }
        _ = editor.apply(.tab)
        editor.type(" al")
        _ = editor.apply(.tab)
        #expect(calls.value == ["al true", "al false"])
    }

    @Test func completesTheWordBeforeTheCursorAndKeepsTheRest() {
        var editor = Self.editor(typing: "bo!") { _, _ in ["bob"] }
        _ = editor.apply(.left)
        _ = editor.apply(.tab)
        #expect(Self.picture(editor) == "bob: |!")
    }

    @Test func repeatedTabCyclesThroughTheCandidates() {
        var editor = Self.editor(typing: "hi a") { _, _ in ["alice", "amy", "anna"] }
        var seen: [String] = []
        for _ in 0..<4 {
            _ = editor.apply(.tab)
            seen.append(editor.line)
        }
        #expect(seen == ["hi alice", "hi amy", "hi anna", "hi alice"])
        editor.type("!")
        #expect(editor.line == "hi alice!")
    }

    @Test func ignoresCandidatesThatDoNotStartWithTheWord() {
        var editor = Self.editor(typing: "zz") { _, _ in ["alice", "bob"] }
        _ = editor.apply(.tab)
        #expect(editor.line == "zz")
    }

    @Test func completesAnEmojiShortcodeWithTheRealCompleter() {
        let completer = Completer()
        var editor = Self.editor(typing: ":ta") { completer.candidates(for: $0, isFirstWord: $1) }
        _ = editor.apply(.tab)
        #expect(editor.line == ":tada:")
    }

    @Test func completesOrCyclesCommandsWithTheRealCompleter() {
        let completer = Completer(commands: ["cowsay", "cowthink", "help", "join", "msg"])
        var editor = Self.editor(typing: "/co") { completer.candidates(for: $0, isFirstWord: $1) }
        var seen: [String] = []
        for _ in 0..<3 {
            _ = editor.apply(.tab)
            seen.append(editor.line)
        }
        #expect(seen == ["/cowsay", "/cowthink", "/cowsay"])
    }
}

extension LineEditor {
    /// Types `text` one character at a time.
    mutating func type(_ text: String) {
        for character in text {
            _ = self.apply(.character(character))
        }
    }
}
