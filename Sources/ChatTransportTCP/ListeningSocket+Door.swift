import ChatCore
import NIOCore

extension ListeningSocket {
    /// Binds a door: a listening socket whose accepted connections get `setup`'s pipeline, their sessions counted
    /// in one ``OpenConnections`` so the bound listener's `run()` returns only once they have all ended.
    /// - Parameter makeSetup: the door's setup, given the connections counter its pumps report to.
    package static func bindDoor(
        host: String,
        port: Int,
        kind: String,
        isEncrypted: Bool = false,
        group: any EventLoopGroup,
        makeSetup: (OpenConnections) -> any ChildChannelSetup
    ) async throws -> BoundTCPListener {
        let openConnections = OpenConnections(transport: kind)
        let setup = makeSetup(openConnections)
        let channel = try await Self.bind(host: host, port: port, group: group) { channel in
            try setup.configure(channel, isEncrypted: false)
        }
        return BoundTCPListener(
            channel: channel,
            address: ListeningAddress(
                host: host,
                port: channel.localAddress?.port ?? port,
                kind: kind,
                isEncrypted: isEncrypted
            ),
            openConnections: openConnections
        )
    }
}
