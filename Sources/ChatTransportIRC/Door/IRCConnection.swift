import ChatCore
import ChatProtocol
import ChatTransportTCP
import NIOCore
import Synchronization

/// An IRC client's output: the hub's events rendered in IRC (``IRCRenderer``) and the door's own replies, as
/// CRLF-terminated lines into the connection's ``Outbox``, which keeps every door's slow-reader cap.
///
/// The hub hands it events, not bytes (``rendersEvents``): what an IRC client sees depends on its nickname and the
/// capabilities it enabled, which the renderer keeps, behind a lock since fan-out and the session's task both send.
final class IRCConnection: OutboxRenderer {
    let outbox: Outbox
    private let renderer: Mutex<IRCRenderer>

    init(outbox: Outbox) {
        self.outbox = outbox
        self.renderer = Mutex(IRCRenderer(nickname: "*"))
    }

    /// The client's nickname as its replies address it (`*` before registration).
    var nickname: String {
        self.renderer.withLock { $0.nickname }
    }

    /// Changes what the rendering depends on: the nickname and the capabilities.
    func configure(_ change: (inout IRCRenderer) -> Void) {
        self.renderer.withLock { change(&$0) }
    }

    /// Sends the door's own messages (numerics, PONG, ERROR).
    @discardableResult
    func send(_ messages: [IRCMessage]) -> Bool {
        guard !messages.isEmpty else { return true }
        return self.outbox.send(Self.lines(messages))
    }

    /// `messages` as CRLF-terminated lines.
    private static func lines(_ messages: [IRCMessage]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: messages.count * 64)
        for message in messages {
            buffer.writeString(message.line)
            buffer.writeStaticString("\r\n")
        }
        return buffer
    }

    // MARK: ChatRecipient (the rest is the outbox's: OutboxRenderer)

    @discardableResult
    func send(_ event: ChatEvent) -> Bool {
        let messages = self.renderer.withLock { renderer in
            let messages = renderer.render(event)
            // The client's own rename: its replies are addressed to the new nickname from now on.
            if case .renamed(let old, let new) = event.occurrence, old.lowercased() == renderer.nickname.lowercased() {
                renderer.nickname = new
            }
            return messages
        }
        return self.send(messages)
    }

    var sharedRenderingKey: SharedRenderingKey? {
        self.renderer.withLock { $0.sharedKey }
    }

    func render(_ events: [ChatEvent]) -> ByteBuffer {
        let messages = self.renderer.withLock { renderer in events.flatMap { renderer.render($0) } }
        return Self.lines(messages)
    }
}
