import ChatProtocol
import ChatTesting
import Foundation
import Testing

@testable import ChatCore
@testable import ChatTerminal

@Suite struct TerminalScreenTests {
    private let recorder = OutputRecorder()

    private func makeScreen(columns: Int = 40) -> TerminalScreen {
        TerminalScreen(editor: LineEditor(), write: self.recorder.write, columns: { columns })
    }

    private func type(_ text: String, on screen: TerminalScreen) async {
        for character in text {
            _ = await screen.handle(.character(character))
        }
    }

    // MARK: Printing above the prompt

    @Test func printsALineAboveThePromptAndRedrawsTheTypedText() async {
        let screen = self.makeScreen()
        await self.type("hello wor", on: screen)
        let before = self.recorder.writes.count
        await screen.print(["<bob> hi there"])
        let printed = self.recorder.writes.dropFirst(before).joined()
        #expect(printed.hasPrefix("\r\u{1B}[K<bob> hi there\n"))
        #expect(printed.hasSuffix("> hello wor\r\u{1B}[11C"))
        let view = self.recorder.screen(columns: 40)
        #expect(view.nonBlankLines == ["<bob> hi there", "> hello wor"], "\(view)")
        #expect(view.cursorLine == "> hello wor")
        #expect(view.cursorColumn == 11)
    }

    @Test func keepsTheTypedTextAndCursorThroughSeveralIncomingLines() async {
        let screen = self.makeScreen()
        await self.type("half a line", on: screen)
        for _ in 0..<5 { _ = await screen.handle(.left) }
        await screen.print(["* bob joined #main"])
        await screen.print(["<bob> one", "<bob> two"])
        _ = await screen.handle(.character("X"))
        let view = self.recorder.screen(columns: 40)
        #expect(view.nonBlankLines == ["* bob joined #main", "<bob> one", "<bob> two", "> half aX line"], "\(view)")
        #expect(view.cursorColumn == 9)
    }

    @Test func ringsTheBellOnlyWhenAsked() async {
        let screen = self.makeScreen()
        await screen.print(["quiet"])
        #expect(!self.recorder.output.contains("\u{07}"))
        await screen.print(["[PM from bob] psst"], bell: true)
        #expect(self.recorder.output.contains("\u{07}"))
    }

    @Test func writesNothingForNoLines() async {
        let screen = self.makeScreen()
        await screen.print([])
        #expect(self.recorder.writes.isEmpty)
    }

    // MARK: The prompt line

    @Test func scrollsALongLineSoTheCursorStaysVisible() async {
        let screen = self.makeScreen(columns: 20)
        await self.type("abcdefghijklmnopqrstuvwxyz", on: screen)
        var view = self.recorder.screen(columns: 20)
        #expect(view.cursorLine.hasPrefix("> "))
        #expect(view.cursorLine.hasSuffix("xyz"))
        #expect(view.cursorColumn < 20)
        _ = await screen.handle(.home)
        view = self.recorder.screen(columns: 20)
        #expect(view.cursorLine.hasPrefix("> abcdef"))
        #expect(view.cursorColumn == 2)
    }

    @Test func placesTheCursorAfterWideCharacters() async {
        let screen = self.makeScreen()
        await self.type("日本🎉x", on: screen)
        _ = await screen.handle(.left)
        let view = self.recorder.screen(columns: 40)
        #expect(view.cursorLine == "> 日本🎉x")
        #expect(view.cursorColumn == 8)
    }

    @Test func drawsAPasteOnceAndSubmitsItWhole() async {
        let screen = self.makeScreen()
        let paste = String(repeating: "abcdefghij", count: 1000)
        let actions = await screen.handle(paste.map { Key.character($0) } + [.enter])
        #expect(actions == [.submit(paste)])
        #expect(self.recorder.writes.count == 1, "a paste of 10,000 keys was drawn \(self.recorder.writes.count) times")
    }

    @Test func saysSoWhenTextOverflowsTheLine() async {
        let screen = self.makeScreen()
        let paste = String(repeating: "x", count: LineEditor.maximumBytes + 10)
        _ = await screen.handle(paste.map { Key.character($0) })
        let overflow = "! The line is full (64 KiB); the rest of what you typed or pasted was dropped."
        #expect(self.recorder.output.components(separatedBy: overflow).count == 2)
        _ = await screen.handle(.character("y"))
        #expect(self.recorder.output.components(separatedBy: overflow).count == 3)
    }

    @Test func asksForANicknameAgainAtAnAnswerPrompt() async {
        let screen = self.makeScreen()
        await screen.beginAnswer(secret: false)
        await self.type("bob2", on: screen)
        #expect(self.recorder.screen(columns: 40).cursorLine == "answer: bob2")
        #expect(await screen.handle(.enter) == .answer("bob2"))
        await self.type("hi", on: screen)
        #expect(await screen.handle(.enter) == .submit("hi"))
    }

    @Test func hidesSecretInputAndShowsThePromptAgainAfterIt() async {
        let screen = self.makeScreen()
        await screen.beginAnswer(secret: true)
        await self.type("hunter2", on: screen)
        var view = self.recorder.screen(columns: 40)
        #expect(view.cursorLine == "password:")
        #expect(!self.recorder.output.contains("hunter2"))
        #expect(await screen.handle(.enter) == .answer("hunter2"))
        await self.type("hi", on: screen)
        view = self.recorder.screen(columns: 40)
        #expect(view.cursorLine == "> hi")
    }

    @Test func clearsTheScreenOnCtrlL() async {
        let screen = self.makeScreen()
        await screen.print(["old line"])
        await self.type("draft", on: screen)
        #expect(await screen.handle(.control("l")) == .clearScreen)
        let view = self.recorder.screen(columns: 40)
        #expect(view.nonBlankLines == ["> draft"])
        #expect(view.cursorRow == 0)
    }

    @Test func clearsThePromptLineWhenFinished() async {
        let screen = self.makeScreen()
        await self.type("bye", on: screen)
        await screen.finish()
        let view = self.recorder.screen(columns: 40)
        #expect(view.nonBlankLines == [])
        #expect(view.cursorColumn == 0)
    }

    // MARK: Slicing art for the animation

    @Test(arguments: [
        ("abc", 0, 10, "abc"),
        ("abc", 2, 10, "  abc"),
        ("abc", 8, 10, "        ab"),
        ("abc", 9, 10, "         a"),
        ("abc", 10, 10, ""),
        ("abc", 15, 10, ""),
        ("abc", -1, 10, "bc"),
        ("abc", -2, 10, "c"),
        ("abc", -3, 10, ""),
        ("abc", -7, 10, ""),
        ("abcdef", -1, 3, "bcd"),
        ("abc", 0, 0, ""),
        ("abc", 0, -4, ""),
        ("日本語", 0, 3, "日"),
        ("日本語", 0, 4, "日本"),
        ("日本語", -2, 10, "本語"),
        ("a🎉b", 1, 4, " a🎉"),
        ("a🎉b", 2, 4, "  a"),
    ])
    func slicesALineAtAnOffsetWithinAWidth(_ line: String, _ offset: Int, _ width: Int, _ expected: String) {
        let sliced = ScreenState.slice(line, at: offset, width: width)
        #expect(sliced == expected)
        #expect(TerminalWidth.of(sliced) <= max(0, width))
    }

    @Test func keepsTheColumnsOfAWideCharacterCutByTheLeftEdge() {
        // 日 covers columns -1 and 0: column 0 must stay blank, so 本 starts at column 1 as it would have.
        #expect(ScreenState.slice("日本語", at: -1, width: 10) == " 本語")
    }

    // MARK: Animation

    @Test func animatesSeveralFramesThenClearsTheArea() async {
        let screen = self.makeScreen(columns: 20)
        await self.type("typing", on: screen)
        let before = self.recorder.writes.count
        await screen.animate(["<o>", "|_|"], frameDelay: .milliseconds(1))
        let writes = Array(self.recorder.writes.dropFirst(before))
        let frames = writes.filter { $0.hasPrefix("\u{1B}[2A") && !$0.contains("\u{1B}[J") }
        #expect(frames.count >= 5)
        #expect(frames.contains { $0.contains("<o>") && $0.contains("|_|") })
        #expect(writes.last?.hasPrefix("\u{1B}[2A\r\u{1B}[J") == true)
        #expect(writes.last?.contains("> typing") == true)
        let view = self.recorder.screen(columns: 20)
        #expect(view.nonBlankLines == ["> typing"], "\(view)")
    }

    @Test func showsLinesThatArriveDuringAnAnimationAfterIt() async throws {
        // About 50 frames of 10 ms: the line below arrives long before the train has passed.
        let screen = self.makeScreen(columns: 100)
        let animation = Task { await screen.animate(["=^_^="], frameDelay: .milliseconds(10)) }
        let started = await Deadline.poll(within: TestTime.expected, every: .milliseconds(2)) {
            self.recorder.writes.count >= 3
        }
        #expect(started)
        await screen.print(["<bob> during the train"])
        #expect(!self.recorder.output.contains("during the train"), "the line waits for the train")
        await animation.value
        let output = self.recorder.output
        let cleared = try #require(output.range(of: "\u{1B}[1A\r\u{1B}[J", options: .backwards))
        let printed = try #require(output.range(of: "<bob> during the train"))
        #expect(printed.lowerBound > cleared.lowerBound)
        let view = self.recorder.screen(columns: 100)
        #expect(view.nonBlankLines == ["<bob> during the train", ">"], "\(view)")
    }

    @Test func keepsThePromptUsableDuringAnAnimation() async throws {
        let screen = self.makeScreen(columns: 40)
        let animation = Task { await screen.animate(["=^_^="], frameDelay: .milliseconds(10)) }
        // Typed once the train is running (a fixed pause could end before it starts on a busy machine).
        let started = await Deadline.poll(within: TestTime.expected, every: .milliseconds(2)) {
            self.recorder.writes.count >= 3
        }
        #expect(started)
        await self.type("hi", on: screen)
        await animation.value
        let view = self.recorder.screen(columns: 40)
        #expect(view.cursorLine == "> hi")
    }
}
