import ChatTesting
import NIOCore
import NIOPosix

/// A loopback port nothing listens on: bound once with port 0, then released.
enum UnusedPort {
    static func find() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        defer { channel.close(promise: nil) }
        guard let port = channel.localAddress?.port else {
            throw ExpectationFailure("a socket bound to port 0 has no port")
        }
        return port
    }
}
