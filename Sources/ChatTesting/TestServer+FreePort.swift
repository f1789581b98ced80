import NIOCore
import NIOPosix

/// A port to start a server on twice, for tests of a client that reconnects after a restart.
extension TestServer {
    /// A free port for a server that must come back on the same port. It is taken from below Linux's ephemeral
    /// range (32768 and up), so no outgoing connection of a parallel test can be holding it as its local port when
    /// the second server binds.
    public static func freePort() async throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: 20_000..<32_000)
            if await Self.canBind(candidate) { return candidate }
        }
        throw ExpectationFailure("no free port found between 20000 and 32000")
    }

    /// Binds and closes a listener on the port, with SO_REUSEADDR as the real server sets it, so a port that is only
    /// in TIME_WAIT counts as free.
    private static func canBind(_ port: Int) async -> Bool {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: "127.0.0.1", port: port)
                .get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}
