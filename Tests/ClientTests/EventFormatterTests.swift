import ChatCore
import ChatProtocol
import ChatTerminal
import Testing

@Suite struct EventFormatterTests {
    private let plain = EventFormatter(style: TerminalStyle(isEnabled: false), showsTimestamps: false)
    private let coloured = EventFormatter(style: TerminalStyle(isEnabled: true), showsTimestamps: false)

    private func lines(_ event: ChatEvent, me: String = "carol") -> [String] {
        self.plain.format(event, myNickname: me).lines
    }

    @Test(arguments: [
        (ChatEvent(kind: .message, text: "hi", from: "alice"), ["<alice> hi"]),
        (ChatEvent(kind: .action, text: "waves", from: "alice"), ["* alice waves"]),
        (ChatEvent(kind: .privateMessage, text: "psst", from: "alice"), ["[PM from alice] psst"]),
        (ChatEvent(kind: .privateMessage, text: "psst", from: "carol", to: "alice"), ["[PM to alice] psst"]),
        (ChatEvent.notice("bob joined #main"), ["* bob joined #main"]),
        (ChatEvent.error("No such user."), ["! No such user."]),
        (ChatEvent(kind: .welcome, text: "Welcome, carol!", to: "carol"), ["* Welcome, carol!"]),
        (ChatEvent(kind: .prompt, text: "Password:", field: "password"), ["* Password:"]),
        (ChatEvent(kind: .mode, text: "json"), []),
    ])
    func formatsEventsWithoutColoursWhenStylesAreOff(_ event: ChatEvent, _ expected: [String]) {
        #expect(self.lines(event) == expected)
    }

    @Test func prefixesChatLinesWithTheTime() throws {
        let formatter = EventFormatter(style: TerminalStyle(isEnabled: false), showsTimestamps: true)
        let event = ChatEvent(kind: .message, text: "hi", from: "alice", time: 1_700_000_000_000)
        let line = try #require(formatter.format(event, myNickname: "carol").lines.first)
        #expect(line.wholeMatch(of: /\d\d:\d\d <alice> hi/) != nil, "\(line)")
    }

    @Test func marksReplayedHistoryAndNeverRingsForIt() {
        let message = ChatEvent(kind: .message, text: "hey carol", from: "alice", history: true)
        let pm = ChatEvent(kind: .privateMessage, text: "psst", from: "alice", history: true)
        #expect(self.lines(message) == ["[history] <alice> hey carol"])
        #expect(self.lines(pm) == ["[history] [PM from alice] psst"])
        #expect(!self.plain.format(message, myNickname: "carol").bell)
        #expect(!self.plain.format(pm, myNickname: "carol").bell)
    }

    @Test func ringsTheBellForAPrivateMessageFromSomeone() {
        let event = ChatEvent(kind: .privateMessage, text: "psst", from: "alice")
        #expect(self.plain.format(event, myNickname: "carol").bell)
    }

    @Test func staysQuietForAPrivateMessageISent() {
        let event = ChatEvent(kind: .privateMessage, text: "psst", from: "carol", to: "alice")
        #expect(!self.plain.format(event, myNickname: "carol").bell)
    }

    @Test(arguments: [
        ("hey carol", true),
        ("CAROL: lunch?", true),
        ("carol, are you there?", true),
        ("(carol)", true),
        ("ask carol.", true),
        ("caroline is here", false),
        ("mscarol", false),
        ("carol_2 is someone else", false),
        ("carol-bot", false),
        ("nobody", false),
    ])
    func ringsTheBellWhenSomeoneMentionsMeAsAWholeWord(_ text: String, _ rings: Bool) {
        let message = ChatEvent(kind: .message, text: text, from: "alice")
        #expect(self.plain.format(message, myNickname: "carol").bell == rings)
        let action = ChatEvent(kind: .action, text: text, from: "alice")
        #expect(self.plain.format(action, myNickname: "carol").bell == rings)
    }

    @Test func doesNotRingForMyOwnMessageNamingMe() {
        let event = ChatEvent(kind: .message, text: "carol is back", from: "Carol")
        #expect(!self.plain.format(event, myNickname: "carol").bell)
    }

    @Test func startsErrorLinesWithABang() {
        let output = self.coloured.format(.error("Unknown command /x."), myNickname: "carol")
        let plainOutput = self.plain.format(.error("Unknown command /x."), myNickname: "carol")
        #expect(plainOutput.lines == ["! Unknown command /x."])
        #expect(output.lines.count == 1)
        #expect(output.lines[0].strippingEscapes.hasPrefix("! "))
        #expect(!output.bell)
    }

    @Test func printsABlockHeaderThenItsLines() {
        let event = ChatEvent(kind: .block, text: "alice: /cowsay moo", lines: [" _____", "< moo >", "\tindented"])
        #expect(self.lines(event) == ["* alice: /cowsay moo", " _____", "< moo >", "\tindented"])
    }

    @Test(arguments: [
        ChatEvent(kind: .message, text: "\u{1B}[2Jhi\u{07}", from: "al\u{1B}[31mice"),
        ChatEvent(kind: .notice, text: "\u{1B}]0;owned\u{07}hi"),
        ChatEvent(kind: .error, text: "h\u{8}\u{8}hi"),
        ChatEvent(kind: .block, text: "hi\u{1B}[H", lines: ["\u{1B}[2Jline one", "line\r two\u{9B}31m"]),
        ChatEvent(kind: .privateMessage, text: "\u{1B}[1Ahi", from: "bo\u{7}b"),
    ])
    func stripsControlCharactersFromTheServer(_ event: ChatEvent) {
        for line in self.lines(event) + self.coloured.format(event, myNickname: "carol").lines.map(\.strippingEscapes) {
            #expect(!Sanitizer.containsControl(line), "\(String(reflecting: line))")
        }
    }

    @Test func stripsControlCharactersInsideABlock() {
        let event = ChatEvent(kind: .block, text: "art", lines: ["\u{1B}[2Jline one", "line\r two\u{9B}31m"])
        #expect(self.lines(event) == ["* art", "line one", "line two"])
    }

    @Test func givesTheSameNicknameTheSameColourEveryTime() {
        let code = TerminalStyle.colourCode(for: "alice")
        #expect(TerminalStyle.colourCode(for: "ALICE") == code)
        let first = self.coloured.format(ChatEvent(kind: .message, text: "one", from: "alice"), myNickname: "carol")
        let second = self.coloured.format(ChatEvent(kind: .action, text: "two", from: "alice"), myNickname: "carol")
        for line in first.lines + second.lines {
            #expect(line.contains("\u{1B}[1;\(code)malice\u{1B}[0m"), "\(String(reflecting: line))")
        }
    }

    @Test func spreadsNicknamesOverSeveralColours() {
        let nicknames = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
        let codes = Set(nicknames.map(TerminalStyle.colourCode))
        #expect(codes.count > 3)
    }

    @Test(arguments: [
        ChatEvent(kind: .message, text: "hi", from: "alice"),
        ChatEvent(kind: .privateMessage, text: "psst", from: "alice"),
        ChatEvent.error("oops"),
        ChatEvent(kind: .welcome, text: "Welcome!"),
        ChatEvent.notice("bob joined #main"),
    ])
    func writesEscapeCodesOnlyWhenColoursAreOn(_ event: ChatEvent) {
        let colouredLines = self.coloured.format(event, myNickname: "carol").lines
        #expect(colouredLines.joined().contains("\u{1B}["))
        #expect(colouredLines.map(\.strippingEscapes) == self.lines(event))
        #expect(!self.lines(event).joined().contains("\u{1B}"))
    }

    @Test func highlightsAMentionOfMe() {
        let event = ChatEvent(kind: .message, text: "hi carol", from: "alice")
        let line = self.coloured.format(event, myNickname: "carol").lines[0]
        #expect(line.hasSuffix("\u{1B}[1;7mhi carol\u{1B}[0m"))
    }
}

extension String {
    /// The text without SGR colour codes (`ESC [ ... m`), as a reader sees it.
    var strippingEscapes: String {
        self.replacing(/\x1B\[[0-9;]*m/, with: "")
    }
}
