import NIOCore
import NIOPosix

/// A stand-in server on 127.0.0.1 that sends every connection the same bytes, then closes it after `linger`: for
/// what the real server never sends.
struct ScriptedServer {
    let port: Int

    /// Runs `body` while the server listens; closes it afterwards.
    static func with(
        sending script: [UInt8],
        linger: TimeAmount = .seconds(1),
        _ body: (ScriptedServer) async throws -> Void
    ) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptHandler(script: script, linger: linger))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        do {
            try await body(ScriptedServer(port: channel.localAddress?.port ?? 0))
        } catch {
            try? await channel.close()
            throw error
        }
        try? await channel.close()
    }
}

/// Writes the script on connect, ignores whatever comes in, and closes after the linger.
private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let script: [UInt8]
    let linger: TimeAmount

    init(script: [UInt8], linger: TimeAmount) {
        self.script = script
        self.linger = linger
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(bytes: self.script)), promise: nil)
        let channel = context.channel
        channel.eventLoop.scheduleTask(in: self.linger) { channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

@available(*, unavailable)
extension ScriptHandler: Sendable {}
