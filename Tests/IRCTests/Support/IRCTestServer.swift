import ChatCore
import ChatTesting
import ChatTransportIRC
import Testing

/// A server with the IRC door beside its plain port, both on 127.0.0.1 port 0, and the fun commands with the
/// built-in cowsay renderer, as the real server has them.
enum IRCTestServer {
    static func with(_ body: (TestServer, _ ircPort: Int) async throws -> Void) async throws {
        let registry = CommandRegistry.withCoreCommands()
        registry.registerFunCommands(tools: ExternalTools())
        try await TestServer.withServer(
            registry: registry,
            extraListeners: [IRCListener(host: "127.0.0.1", port: 0)]
        ) { server in
            let irc = try #require(server.addresses.last)
            #expect(irc.kind == "irc" && !irc.isEncrypted)
            try await body(server, irc.port)
        }
    }
}
