import ChatCore
import NIOCore

/// A bound listening socket (``TCPListener``'s, or a listener's that runs over TCP, like TLS): NIO accepts on it and
/// builds each connection's pipeline; ``run()`` waits for the end.
package struct BoundTCPListener: BoundChatListener {
    package let channel: any Channel
    package let address: ListeningAddress
    package let openConnections: OpenConnections

    package init(channel: any Channel, address: ListeningAddress, openConnections: OpenConnections) {
        self.channel = channel
        self.address = address
        self.openConnections = openConnections
    }

    package func run() async {
        try? await self.channel.closeFuture.get()
        // The server closes every connection at shutdown; their sessions then leave the hub.
        await self.openConnections.waitUntilNoneAreOpen()
    }

    package func stopAccepting() {
        self.channel.close(promise: nil)
    }
}
