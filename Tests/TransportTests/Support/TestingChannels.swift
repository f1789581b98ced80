import NIOCore
import NIOEmbedded

@testable import ChatTransportTCP

/// Bare testing channels for the pieces that need no session (an outbox, the drain scheduler).
enum TestingChannels {
    /// A registered, active channel on `loop`, with `handlers` in its pipeline.
    static func connected(
        on loop: NIOAsyncTestingEventLoop = NIOAsyncTestingEventLoop(),
        handlers: @escaping @Sendable () -> [any ChannelHandler] = { [] }
    ) async throws -> NIOAsyncTestingChannel {
        let channel = try await NIOAsyncTestingChannel(loop: loop) { channel in
            try channel.pipeline.syncOperations.addHandlers(handlers())
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000))
        return channel
    }

    /// `channel`'s socket cannot take more, and `outbox` hears of it as it would from its ``SessionPump`` (there is
    /// no pump in these pipelines to pass the event on).
    static func fillSendBuffer(of channel: NIOAsyncTestingChannel, for outbox: Outbox) async throws {
        try await channel.testingEventLoop.executeInContext {
            channel.isWritable = false
            outbox.writabilityChanged(to: false)
        }
    }
}
