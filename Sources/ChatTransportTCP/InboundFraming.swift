import ChatProtocol
import NIOCore

/// How a door's input becomes the lines a ``SessionPump`` hands to the session: the one thing that differs between a
/// byte stream (TCP, TLS) and a door whose protocol already delivers whole messages (a WebSocket text message).
package protocol InboundFraming: SendableMetatype {
    /// What the handler in front of the pump reads (bytes, or whole messages).
    associatedtype Input

    /// Takes one read; calls `yield` for every line it completes, in order.
    mutating func append(_ input: Input, _ yield: (InboundLine) -> Void)

    /// The input has ended: calls `yield` for a last unfinished line, if the framing keeps one.
    mutating func finish(_ yield: (InboundLine) -> Void)
}

/// A byte stream's framing: lines by ``LineDecoder``'s rules, capped.
extension LineFramer: InboundFraming {
    package typealias Input = ByteBuffer
}

/// The framing of a door that delivers whole lines (each WebSocket text message is one): nothing to split, nothing
/// kept between reads.
package struct WholeLines: InboundFraming {
    package typealias Input = InboundLine

    package init() {}

    package func append(_ input: InboundLine, _ yield: (InboundLine) -> Void) {
        yield(input)
    }

    package func finish(_ yield: (InboundLine) -> Void) {}
}
