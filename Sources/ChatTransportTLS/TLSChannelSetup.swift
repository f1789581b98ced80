import ChatCore
import ChatTransportTCP
import Logging
import NIOCore
import NIOSSL

/// TLS around any door: NIOSSL's server handler with the current certificate, and once the handshake is done, the
/// wrapped door's own pipeline behind it (hummingbird's `TLSChannel` around a base child channel is the model). The
/// chat port's TLS listener wraps the plain chat pipeline; the web door wraps its HTTP pipeline in it for HTTPS.
///
/// In front of NIOSSL, a client that speaks plain text on the TLS port is answered in words it can read
/// (``plainTextReply``) and closed; behind it, a connection counts against `--connect-rate` and the handshake cap
/// when accepted, and must finish its handshake within ``timeout``.
package struct TLSChannelSetup<Base: ChildChannelSetup>: ChildChannelSetup {
    let base: Base
    let certificates: TLSCertificates
    let timeout: TimeAmount
    let pending: PendingHandshakes
    let environment: SessionEnvironment
    /// What a plain-text client is sent before the close: a chat line, or an HTTP response on the web door. Asked
    /// per connection, since it may name the other listeners, which are bound after this one.
    let plainTextReply: @Sendable () -> String

    package init(
        wrapping base: Base,
        certificates: TLSCertificates,
        timeout: TimeAmount,
        pending: PendingHandshakes,
        environment: SessionEnvironment,
        plainTextReply: @escaping @Sendable () -> String
    ) {
        self.base = base
        self.certificates = certificates
        self.timeout = timeout
        self.pending = pending
        self.environment = environment
        self.plainTextReply = plainTextReply
    }

    package func configure(_ channel: any Channel, isEncrypted: Bool) throws {
        let operations = channel.pipeline.syncOperations
        let environment = self.environment
        let base = self.base
        try operations.addHandler(PlainTextOnTLSPortHandler(reply: self.plainTextReply(), timeout: self.timeout))
        try operations.addHandler(NIOSSLServerHandler(context: self.certificates.context))
        try operations.addHandler(
            TLSHandshakeHandler(
                timeout: self.timeout,
                pending: self.pending,
                admitsConnect: { environment.admitsConnect(from: $0) },
                logger: environment.logger
            ) { channel in
                try channel.pipeline.syncOperations.addHandler(UncleanShutdownHandler())
                try base.configure(channel, isEncrypted: true)
            }
        )
    }
}
