import ChatCore
import ChatProtocol
import NIOCore

/// A door's recipient that renders the hub's events itself (IRC's messages, the SSH terminal's screen) into the
/// connection's ``Outbox``: fan-out hands it events (``ChatRecipient/rendersEvents``), `/mode` changes nothing, and
/// the rest of ``ChatRecipient`` (closing, the slow-reader cap, waiting for the writes) is the outbox's, so every door
/// keeps the same rules.
package protocol OutboxRenderer: ChatRecipient {
    /// The connection's output.
    var outbox: Outbox { get }
}

extension OutboxRenderer {
    package var rendersEvents: Bool { true }

    /// One way of writing; `/mode` changes nothing.
    package var format: WireFormat {
        get { .plain }
        set {}
    }

    /// Bytes go out as they are (the hub sends such a recipient events, never bytes encoded for a wire format).
    @discardableResult
    package func send(_ bytes: ByteBuffer) -> Bool { self.outbox.send(bytes) }

    package var isClosed: Bool { self.outbox.isClosed }
    package var isPeerGone: Bool { self.outbox.isPeerGone }
    package var overflowed: Bool { self.outbox.overflowed }
    package func written() async -> Bool { await self.outbox.written() }
    package func flushAndClose() async { await self.outbox.flushAndClose() }
    package func closeAfterQueued() { self.outbox.closeAfterQueued() }
    package func markClosed() { self.outbox.markClosed() }
}
