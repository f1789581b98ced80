import ChatProtocol
import ChatTesting
import TerminalClient
import Testing

/// The client's first connection over a list of addresses, in process: in order, the next at once when one
/// fails, and every failure named.
@Suite struct ChatClientConnectTests {
    @Test func triesEveryAddressInOrderAndNamesEachFailure() async throws {
        let first = ServerAddress(host: "127.0.0.1", port: try ClosedPort.take())
        let second = ServerAddress(host: "127.0.0.1", port: try ClosedPort.take())
        let client = ChatClient(addresses: [first, second], nickname: "zed")
        var reported: [ServerAddress] = []
        let unreachable = await #expect(throws: UnreachableServers.self) {
            _ = try await client.connect { reported.append($0.address) }
        }
        #expect(reported == [first, second])
        #expect(unreachable?.attempts.map(\.address) == [first, second])
        #expect(unreachable?.attempts.map(\.failure.reason) == [.refused, .refused])
        #expect(
            unreachable?.attempts.first?.message
                == "cannot connect to \(first): connection refused; is the server running?"
        )
    }

    @Test func aDeadAddressIsSkippedForTheNextAndTheSessionRunsThere() async throws {
        try await TestServer.withServer { server in
            let dead = ServerAddress(host: "127.0.0.1", port: try ClosedPort.take())
            let live = ServerAddress(host: "127.0.0.1", port: server.port)
            let client = ChatClient(addresses: [dead, live], nickname: "zed", whenNicknameRefused: .giveUp)
            var reported: [ServerAddress] = []
            let connection = try await client.connect { reported.append($0.address) }
            #expect(connection.address == live)
            #expect(reported == [dead])

            let bob = try await server.join("bob")
            let (input, typing) = AsyncStream.makeStream(of: String.self)
            let (joined, welcomed) = AsyncStream.makeStream(of: Void.self)
            let session = Task {
                await client.run(on: connection, input: input, quitRequests: AsyncStream { _ in }) { event in
                    if event.kind == .welcome { welcomed.yield() }
                }
            }
            for await _ in joined { break }
            typing.yield("hello from the second address")
            typing.finish()
            try await bob.expectLine(containing: "<zed> hello from the second address")
            #expect(await session.value == .quit)
        }
    }

    /// Over TLS the handshake's watcher is in the pipeline before the connect: a connect that fails must still
    /// settle it (a leaked promise stops a debug build), and the failure reads as a plain one does.
    @Test func aDeadAddressOverTLSIsRefusedAndTheNextTried() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let first = ServerAddress(host: "127.0.0.1", port: try ClosedPort.take())
            let second = ServerAddress(host: "127.0.0.1", port: try ClosedPort.take())
            let security = ClientSecurity.tls(knownHosts: KnownHosts(path: directory.file("known_hosts")), pinned: nil)
            let client = ChatClient(addresses: [first, second], nickname: "zed", security: security)
            let unreachable = await #expect(throws: UnreachableServers.self) { _ = try await client.connect() }
            #expect(unreachable?.attempts.map(\.address) == [first, second])
            #expect(unreachable?.attempts.map(\.failure.reason) == [.refused, .refused])
        }
    }

    @Test func eachAddressIsJudgedByATrustForItsOwnHostAndPort() throws {
        let knownHosts = KnownHosts(path: "/nonexistent/known_hosts")
        let pin = try #require(CertificateFingerprint(parsing: String(repeating: "AB:", count: 31) + "AB"))
        let security = ClientSecurity.tls(knownHosts: knownHosts, pinned: pin)
        let first = try #require(security.trust(for: ServerAddress(host: "10.0.0.1", port: 4243)))
        let second = try #require(security.trust(for: try ServerAddress(parsing: "[::1]:4343")))
        #expect(first.key == "10.0.0.1:4243")
        #expect(second.key == "[::1]:4343")
        #expect(second.host == "::1")
        #expect(first.pinned == pin && second.pinned == pin, "a pin applies to every address")
        #expect(ClientSecurity.plain.trust(for: ServerAddress(host: "10.0.0.1", port: 4242)) == nil)
    }
}
