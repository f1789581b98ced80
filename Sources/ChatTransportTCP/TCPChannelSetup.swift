import ChatCore
import ChatProtocol
import NIOCore

/// The plain chat door's pipeline: one ``SessionPump`` that frames lines (capped), tells the connection's ``Outbox``
/// when the socket can take more, and feeds the connection's ``ChatSession``. On the plain port a
/// ``TLSOnPlainPortHandler`` in front closes TLS clients that came to the wrong port.
package struct TCPChannelSetup: ChildChannelSetup {
    let environment: SessionEnvironment
    let openConnections: OpenConnections

    package init(environment: SessionEnvironment, openConnections: OpenConnections) {
        self.environment = environment
        self.openConnections = openConnections
    }

    package func configure(_ channel: any Channel, isEncrypted: Bool) throws {
        if !isEncrypted {
            try channel.pipeline.syncOperations.addHandler(TLSOnPlainPortHandler())
        }
        try SessionPump.install(
            on: channel,
            framing: LineFramer(maximumLineLength: self.environment.configuration.maxLineLength),
            environment: self.environment,
            openConnections: self.openConnections,
            isEncrypted: isEncrypted
        )
    }
}
