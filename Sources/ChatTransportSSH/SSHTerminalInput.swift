import ChatProtocol
import ChatTerminal
import NIOCore
import NIOSSH

/// The keys of an SSH user's terminal, edited on the server as the terminal client edits them (``KeyDecoder``,
/// ``LineEditor`` through the ``SSHTerminal``'s screen): history, Tab completion, a hidden password. What Enter
/// submits goes on to the connection pump as a line, exactly as a line from `nc` would, so the chat's rules (flood
/// control, the line cap) are the pump's and the session's, not this handler's.
///
/// Ctrl-C, and Ctrl-D on an empty line, send `/quit`: the session says goodbye and closes, and `ssh` exits 0. The
/// window's changes of size are passed to the screen.
final class SSHTerminalInput: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var decoder = KeyDecoder()
    /// Set when the pump's recipient is made, before any key can arrive.
    private var terminal: SSHTerminal?
    /// `/quit` has been sent: later keys are ignored.
    private var hasQuit = false

    init() {}

    func attach(_ terminal: SSHTerminal) {
        self.terminal = terminal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let terminal = self.terminal, !self.hasQuit else { return }
        let keys = self.decoder.feed(self.unwrapInboundIn(data).readableBytesView)
        for action in terminal.handle(keys) {
            switch action {
            case .submit(let line):
                guard !line.trimmingSpacesAndTabs().isEmpty else { continue }
                switch MessageSplitter.split(line) {
                case .send(let parts):
                    for part in parts { self.forward(part, context: context) }
                case .commandTooLong:
                    terminal.note("That command was over \(MessageSplitter.maximumBytes) bytes and was not sent.")
                }
            case .answer(let line):
                self.forward(line, context: context)
            case .quit:
                self.forward("/quit", context: context)
                self.hasQuit = true
                return
            case .edited, .clearScreen:
                break
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let change = event as? SSHChannelRequestEvent.WindowChangeRequest {
            self.terminal?.resize(columns: change.terminalCharacterWidth)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Hands one line to the pump, as the bytes a line-based client would have sent.
    private func forward(_ line: String, context: ChannelHandlerContext) {
        var bytes = context.channel.allocator.buffer(capacity: line.utf8.count + 1)
        bytes.writeString(line)
        bytes.writeStaticString("\n")
        context.fireChannelRead(self.wrapInboundOut(bytes))
    }
}

@available(*, unavailable)
extension SSHTerminalInput: Sendable {}
