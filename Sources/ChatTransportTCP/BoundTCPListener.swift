import ChatCore
import NIOCore

/// A bound ``TCPListener``: NIO accepts on it and builds each connection's pipeline; ``run()`` waits for the end.
struct BoundTCPListener: BoundChatListener {
    let channel: any Channel
    let address: ListeningAddress
    let openConnections: OpenConnections

    func run() async {
        try? await self.channel.closeFuture.get()
        // The server closes every connection at shutdown; their sessions then leave the hub.
        await self.openConnections.waitUntilNoneAreOpen()
    }

    func stopAccepting() {
        self.channel.close(promise: nil)
    }
}
