import ChatCore
import ChatProtocol
import ChatTerminal
import ChatTransportTCP
import NIOCore
import Synchronization

/// The chat drawn on an SSH user's terminal (`ssh` gave a pty), as the terminal client draws it: incoming lines
/// scroll above a prompt line that is never clobbered, with the same formatter, nickname colours and screen
/// (``ScreenState``), and the train rolling across the width.
///
/// The hub hands it events, not bytes (``rendersEvents``), as it does the IRC door: each is formatted and drawn
/// into the connection's ``Outbox``, which keeps every door's slow-reader cap. Fan-out, the session's task and the
/// keys (``SSHTerminalInput``) all draw, so the screen is behind a lock, and what a change draws is queued while the
/// lock is held: two draws never swap places.
final class SSHTerminal: OutboxRenderer {
    /// What the screen knows about the chat, for Tab completion and for the mentions of my nickname.
    private final class Memory: Sendable {
        let state: Mutex<ClientSessionState>
        init(nickname: String) { self.state = Mutex(ClientSessionState(nickname: nickname)) }
    }

    /// Time between two frames of the train.
    static let frameDelay: Duration = .milliseconds(25)

    let outbox: Outbox
    private let memory: Memory
    private let screen: Mutex<ScreenState>
    private let formatter: EventFormatter

    /// - Parameters:
    ///   - nickname: who the user asked to be (the SSH user name), until the welcome says who they are.
    ///   - columns: the terminal's width, from the pty request.
    ///   - colours: whether the terminal takes colours (not `TERM=dumb`).
    init(outbox: Outbox, nickname: String, columns: Int, colours: Bool) {
        self.outbox = outbox
        let memory = Memory(nickname: nickname)
        self.memory = memory
        let editor = LineEditor { word, isFirstWord in
            let (commands, nicknames) = memory.state.withLock { ($0.knownCommands, $0.knownNicknames) }
            return Completer(commands: Array(commands), nicknames: Array(nicknames))
                .candidates(for: word, isFirstWord: isFirstWord)
        }
        self.screen = Mutex(ScreenState(editor: editor, columns: Self.usable(columns)))
        self.formatter = EventFormatter(style: TerminalStyle(isEnabled: colours))
    }

    // MARK: Keys and the window

    /// Applies a read's worth of keys to the prompt line and redraws it; returns what the keys ask for (lines to
    /// send, answers, quitting).
    func handle(_ keys: [Key]) -> [LineEditor.Action] {
        self.screen.withLock { screen in
            let (output, actions) = screen.handle(keys)
            self.draw(output)
            return actions
        }
    }

    /// Prints a line of the door's own (a note about what was typed) above the prompt.
    func note(_ text: String) {
        self.drawing { $0.print([self.formatter.style.error("! " + text)]) }
    }

    /// The window changed size: the prompt is drawn again for the new width.
    func resize(columns: Int) {
        self.drawing { screen in
            screen.columns = Self.usable(columns)
            return screen.redraw()
        }
    }

    // MARK: ChatRecipient (the rest is the outbox's: OutboxRenderer)

    @discardableResult
    func send(_ event: ChatEvent) -> Bool {
        let myNickname = self.memory.state.withLock { state in
            state.observe(event)
            return state.nickname
        }
        let output = self.formatter.format(event, myNickname: myNickname)
        let train = event.kind == .block && event.animation == "train" ? (event.lines ?? []).map(Sanitizer.clean) : []
        let (queued, animates) = self.screen.withLock { screen in
            if !train.isEmpty, !screen.isAnimating {
                let header = screen.print(Array(output.lines.prefix(1)))
                guard let start = screen.beginAnimation(height: train.count) else { return (false, false) }
                return (self.draw(header + start), true)
            }
            var drawn = screen.print(output.lines, bell: output.bell)
            // A question is the person's to answer, at its own prompt: hidden for a password.
            if event.kind == .prompt { drawn += screen.beginAnswer(secret: event.field == "password") }
            return (self.draw(drawn), false)
        }
        if animates { self.animate(train) }
        return queued
    }

    func flushAndClose() async {
        self.clearPrompt()
        await self.outbox.flushAndClose()
    }

    func closeAfterQueued() {
        self.clearPrompt()
        self.outbox.closeAfterQueued()
    }

    // MARK: Drawing

    /// The prompt line goes before the connection closes, so the user's shell prompt starts on a clean line.
    private func clearPrompt() {
        self.drawing { $0.finish() }
    }

    /// Drives the train across the screen, a frame at a time, each one written before the next is drawn: a slow
    /// terminal slows the train rather than filling the outbox.
    private func animate(_ lines: [String]) {
        let artWidth = lines.map(TerminalWidth.of).max() ?? 0
        let offsets = self.screen.withLock { $0.animationOffsets(artWidth: artWidth) }
        Task {
            for offset in offsets {
                guard !self.isGone else { break }
                self.drawing { $0.animationFrame(lines, offset: offset) }
                guard await self.outbox.written() else { break }
                try? await Task.sleep(for: Self.frameDelay)
            }
            self.drawing { $0.endAnimation(height: lines.count) }
        }
    }

    /// Applies `change` to the screen and queues what it drew, under the screen's lock, so draws keep their order.
    @discardableResult
    private func drawing(_ change: (inout ScreenState) -> String) -> Bool {
        self.screen.withLock { screen in self.draw(change(&screen)) }
    }

    /// Queues `text` for the terminal. The user's terminal is in raw mode with no line discipline on our side, so
    /// each line feed is sent as CR LF.
    @discardableResult
    private func draw(_ text: String) -> Bool {
        guard !text.isEmpty else { return true }
        var bytes = ByteBufferAllocator().buffer(capacity: text.utf8.count + 16)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") { bytes.writeInteger(UInt8(ascii: "\r")) }
            bytes.writeInteger(byte)
        }
        return self.outbox.send(bytes)
    }

    /// A width the screen can draw in, whatever the client claimed (0 when it does not know, or absurd).
    private static func usable(_ columns: Int) -> Int {
        columns <= 0 ? 80 : min(columns, 1000)
    }
}
