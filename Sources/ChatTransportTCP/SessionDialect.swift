import ChatCore

/// A door's own protocol on top of the connection pump (IRC): the recipient that renders the hub's events in it,
/// wrapped around the connection's ``Outbox``, and the session that reads it. Doors that speak the chat's own
/// protocol (plain, JSON, the web) have none.
package struct SessionDialect: Sendable {
    package let recipient: @Sendable (Outbox) -> any ChatRecipient
    package let session: @Sendable (SessionEndpoint, SessionEnvironment) -> any LineSession

    package init(
        recipient: @escaping @Sendable (Outbox) -> any ChatRecipient,
        session: @escaping @Sendable (SessionEndpoint, SessionEnvironment) -> any LineSession
    ) {
        self.recipient = recipient
        self.session = session
    }
}
