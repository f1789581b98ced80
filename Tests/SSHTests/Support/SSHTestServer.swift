import ChatCore
import ChatStoreSQLite
import ChatTesting
import ChatTransportSSH
import Testing

/// A server with the SSH door beside its plain port, both on 127.0.0.1 port 0, keeping accounts in a SQLite store in
/// a temporary directory, where the host key is made too; with the fun commands (the train), as the real server
/// has them.
enum SSHTestServer {
    static func with(_ body: (TestServer, _ sshPort: Int, SSHHostKey) async throws -> Void) async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let hostKey = try SSHHostKey.loadOrCreate(in: directory.path)
            let store = try await SQLiteChatStore.open(directory: directory.path, logger: TestServer.logger)
            let registry = CommandRegistry.withCoreCommands()
            registry.registerFunCommands(tools: ExternalTools())
            do {
                try await TestServer.withServer(
                    hub: ChatHub(persistence: Persistence(store: store)),
                    registry: registry,
                    extraListeners: [SSHListener(host: "127.0.0.1", port: 0, hostKey: hostKey)]
                ) { server in
                    let ssh = try #require(server.addresses.last)
                    #expect(ssh.kind == "ssh" && ssh.isEncrypted)
                    try await body(server, ssh.port, hostKey)
                }
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}
