import NIOCore

/// How a door turns one accepted connection into a chat connection: the pipeline it builds on the channel, on the
/// channel's event loop. A door is a listening socket plus one of these; TLS is a setup that wraps any other
/// (``ChatTransportTLS``'s `TLSChannelSetup`), so every door gets TLS without a second pipeline.
package protocol ChildChannelSetup: Sendable {
    /// Builds `channel`'s pipeline.
    /// - Parameter isEncrypted: TLS runs below this pipeline (a wrapper has finished its handshake), so passwords
    ///   are safe on it and the wrapper has counted the connection against `--connect-rate` already.
    func configure(_ channel: any Channel, isEncrypted: Bool) throws
}
