import NIOCore
import NIOPosix

/// The listening socket every TCP-based listener binds, with the options chat connections want.
package enum ListeningSocket {
    /// Binds `host:port` (0 picks a free port); `configure` builds each accepted connection's pipeline, on its
    /// event loop.
    /// - Throws: ``ListenError`` for the failures a person running the server can fix (a port in use, a privileged
    ///   port, an address this machine does not have); NIO's error otherwise.
    package static func bind(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        configure: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        do {
            return try await Self.bootstrap(group: group, configure: configure).bind(host: host, port: port).get()
        } catch let error as IOError {
            throw ListenError(host: host, port: port, errno: error.errnoCode) ?? error
        }
    }

    private static func bootstrap(
        group: any EventLoopGroup,
        configure: @escaping @Sendable (any Channel) throws -> Void
    ) -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 64 * 1024))
            // Each connection keeps its receive buffer between reads; NIO's default starts it at 2 KiB, which was
            // an eighth of an idle client's memory. Chat lines are short, and busy senders grow it as they need.
            .childChannelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 64 * 1024)
            )
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configure(channel)
                }
            }
    }
}
