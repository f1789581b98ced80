import ChatCore
import Logging
import NIOCore

/// A bound ``TCPListener``: accepts connections and runs each one's ``TCPConnection`` in a child task.
struct BoundTCPListener: BoundChatListener {
    let channel: NIOAsyncChannel<TCPConnection, Never>
    let address: ListeningAddress
    let environment: SessionEnvironment

    func run() async {
        await withDiscardingTaskGroup { group in
            do {
                try await self.channel.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await connection.run(in: self.environment) }
                    }
                }
            } catch {
                self.environment.logger.error(
                    "listener failed",
                    metadata: ["address": "\(self.address.host):\(self.address.port)", "error": "\(error)"]
                )
            }
        }
    }

    func stopAccepting() {
        // Ends the accept loop in `run`; the connections are closed by the server.
        self.channel.channel.close(promise: nil)
    }
}
