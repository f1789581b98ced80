import Synchronization
import Testing

/// Line clients opened through the server, so the test need not close them: they are closed when it ends, and the
/// server's output to them is checked then.
extension TestServer {
    /// Opens a connection (from `sourceAddress`, a loopback address, when given); it is closed when the test ends.
    public func connect(
        _ name: String,
        readsInbound: Bool = true,
        receiveBufferSize: Int? = nil,
        from sourceAddress: String? = nil
    ) async throws -> LineClient {
        let client = try await LineClient.connect(
            port: self.port,
            name: name,
            readsInbound: readsInbound,
            receiveBufferSize: receiveBufferSize,
            defaultTimeout: self.lineTimeout,
            from: sourceAddress
        )
        self.clients.withLock { $0.append(client) }
        return client
    }

    /// Opens a connection and joins as `nickname`, which also names the client in failure messages.
    public func join(_ nickname: String, from sourceAddress: String? = nil) async throws -> LineClient {
        let client = try await self.connect(nickname, from: sourceAddress)
        try await client.join(as: nickname)
        return client
    }

    /// Joins `nicknames` in order, each reading the join notices of those after it, so every returned client has
    /// nothing pending.
    public func joinEveryone(_ nicknames: String...) async throws -> [LineClient] {
        var clients: [LineClient] = []
        for nickname in nicknames {
            let client = try await self.join(nickname)
            for earlier in clients {
                #expect(try await earlier.nextLine() == "* \(nickname) joined #main")
            }
            clients.append(client)
        }
        return clients
    }

    /// Closes every client opened here and records an issue for each invalid UTF-8 sequence or control character
    /// the server sent one of them: the output contract holds for every line, not only the ones a test reads.
    func closeClients() async {
        let clients = self.clients.withLock { $0 }
        for client in clients {
            await client.close()
            for violation in client.violations {
                Issue.record("The server broke its output contract: \(violation)")
            }
        }
    }
}
