import ChatProtocol
import NIOCore

/// Where the hub sends one session's output: a transport's outbound queue (TCP's `Outbox`, later a WebSocket's
/// frames or an SSH channel's terminal).
///
/// The hub encodes each event at most once per wire format and hands the same bytes to every member that takes that
/// format, a whole committed batch in one buffer; a recipient keeps them as they are until it writes them (TCP's
/// outbox shares one buffer among all members of a room). A transport that needs something other than lines asks
/// for the format closest to it and reshapes the bytes itself. Fan-out calls ``send(_:)-(ByteBuffer)`` once per
/// member per batch from the hub's actor, so it must never wait and must be cheap; a recipient that cannot keep up
/// drops its client (``overflowed``) instead of slowing the room.
public protocol ChatRecipient: AnyObject, Sendable {
    /// The wire format this recipient takes bytes in; `/mode` changes it.
    var format: WireFormat { get set }

    /// Queues lines already encoded in ``format``, possibly shared with other recipients. False when nothing was
    /// queued (the connection is closing, or it just overflowed), so a caller with something it must not lose (a
    /// private message) can keep it another way.
    @discardableResult
    func send(_ bytes: ByteBuffer) -> Bool

    /// Queues one event. By default encoded in ``format``; a door with a dialect of its own (IRC) renders it here,
    /// from the event's typed facts (``ChatEvent/occurrence``), and says so with ``rendersEvents``.
    @discardableResult
    func send(_ event: ChatEvent) -> Bool

    /// True for a recipient that renders events itself (``send(_:)-(ChatEvent)``): fan-out hands it each event
    /// rather than bytes encoded for a wire format. Read once, when its user joins.
    var rendersEvents: Bool { get }

    /// For a recipient that renders events, the key it shares its rendering of other people's room lines under;
    /// nil when its rendering is its own (a terminal's screen), and each line is handed to it as an event.
    var sharedRenderingKey: SharedRenderingKey? { get }

    /// `events` as this recipient shows them, without sending them. Room lines sent by someone else come out the
    /// same for every recipient with this ``sharedRenderingKey``: fan-out renders them once per key and batch and
    /// hands the bytes to each such member with ``send(_:)-(ByteBuffer)``.
    func render(_ events: [ChatEvent]) -> ByteBuffer

    /// True once we are closing the connection (goodbye, shutdown, overflow): nothing more will be sent.
    var isClosed: Bool { get }
    /// True once the peer has gone (closed, reset). Lines it sent before may still be waiting to be handled.
    var isPeerGone: Bool { get }
    /// True when the client was dropped because it did not take its output.
    var overflowed: Bool { get }

    /// Waits until everything queued so far has reached the peer's transport; false when the connection closed
    /// first. Replays wait here page by page, so they go at the reader's pace.
    func written() async -> Bool
    /// Writes what is queued (within a short timeout) and closes the connection: goodbyes, shutdown, kicks.
    func flushAndClose() async
    /// Closes the connection once what is already queued has been written, without waiting: timeouts.
    func closeAfterQueued()
    /// Stops accepting output; the connection is already gone.
    func markClosed()
}

extension ChatRecipient {
    /// Queues one event, encoded in this recipient's wire format.
    @discardableResult
    public func send(_ event: ChatEvent) -> Bool {
        self.send(self.format.encode(event))
    }

    public var rendersEvents: Bool { false }

    public var sharedRenderingKey: SharedRenderingKey? { nil }

    /// Encoded in ``format``: a recipient without a ``sharedRenderingKey`` is never asked.
    public func render(_ events: [ChatEvent]) -> ByteBuffer {
        var bytes = ByteBuffer()
        for event in events {
            var encoded = self.format.encode(event)
            bytes.writeBuffer(&encoded)
        }
        return bytes
    }

    /// True once nothing sent now can reach anyone: we are closing the connection, or its peer has gone. Work done
    /// for it from here (a password hash, a login) is wasted.
    public var isGone: Bool {
        self.isClosed || self.isPeerGone
    }
}
