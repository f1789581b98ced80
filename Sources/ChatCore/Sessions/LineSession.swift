import ChatProtocol

/// What a connection pump drives: one client's dialogue, fed one line at a time. ``ChatSession`` is the chat's own
/// dialogue (plain, JSON, the web); a door with a protocol of its own (IRC) has a session that speaks it and comes to
/// a ``ChatSession`` for the chat's rules.
///
/// The pump calls ``open()`` once, then ``receive(_:)`` for each line in order, waiting for each, then ``finish(_:)``
/// once when the input has ended (unless `open` refused). One task at a time: a session need not be `Sendable`.
public protocol LineSession: AnyObject {
    /// Lets the connection in and greets it; false when it is refused (told why and closed).
    func open() async -> Bool
    /// Handles one line; `.stop` ends the reading.
    func receive(_ inbound: InboundLine) async -> ChatSession.Step
    /// The input has ended: leave, forget the connection.
    func finish(_ end: ChatSession.InputEnd) async
}

extension ChatSession: LineSession {}
