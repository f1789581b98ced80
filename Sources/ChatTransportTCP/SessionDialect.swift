import ChatCore

/// A door's own rendering on top of the connection pump: the recipient that renders the hub's events in it, wrapped
/// around the connection's ``Outbox``, and the session that reads what the client sends (IRC's own, or, when nil,
/// the chat's ``ChatSession``: the SSH door's terminal screen draws the chat but reads plain lines). Doors that
/// speak the chat's own protocol (plain, JSON, the web) have none.
package struct SessionDialect: Sendable {
    package let recipient: @Sendable (Outbox) -> any ChatRecipient
    package let session: (@Sendable (SessionEndpoint, SessionEnvironment) -> any LineSession)?

    package init(
        recipient: @escaping @Sendable (Outbox) -> any ChatRecipient,
        session: (@Sendable (SessionEndpoint, SessionEnvironment) -> any LineSession)? = nil
    ) {
        self.recipient = recipient
        self.session = session
    }
}
