import ChatCore
import ChatTesting
import NIOCore
import Testing

/// The per-address limits, applied to 127.0.0.1 with `limitLoopback` (loopback is exempt by default).
@Suite struct AddressLimitTests {
    private func configuration(
        perAddress: Int = 0,
        connectRate: Double = 0,
        connectBurst: Int = 10,
        limitLoopback: Bool = true
    ) -> ServerConfiguration {
        var configuration = ServerConfiguration.loopback()
        configuration.maxClientsPerAddress = perAddress
        configuration.connectRate = connectRate
        configuration.connectBurst = connectBurst
        configuration.limitLoopback = limitLoopback
        return configuration
    }

    @Test func refusesAConnectionOverThePerAddressCapWithOneLine() async throws {
        try await TestServer.withServer(self.configuration(perAddress: 2)) { server in
            let first = try await server.connect("first")
            try await first.expectLine(containing: "Choose a nickname")
            _ = try await server.join("bob")

            let third = try await server.connect("third")
            let lines = try await third.expectClosed()
            #expect(lines == ["! Too many connections from your address (at most 2 at once); close one and try again."])

            // The slot is the address's again once one of its connections has gone.
            await first.close()
            await server.waitForConnectionCount(1)
            let fourth = try await server.connect("fourth")
            try await fourth.join(as: "dave")
        }
    }

    @Test func refusesAnAddressThatConnectsFasterThanItsRate() async throws {
        // A burst of 3, then one connection a minute: the fourth in a row is refused even though each closed.
        try await TestServer.withServer(self.configuration(connectRate: 1, connectBurst: 3)) { server in
            for index in 0..<3 {
                let client = try await server.connect("quick \(index)")
                try await client.expectLine(containing: "Choose a nickname")
                await client.close()
            }
            let refused = try await server.connect("one too many")
            let lines = try await refused.expectClosed()
            #expect(lines.count == 1)
            let line = try #require(lines.first)
            #expect(line.hasPrefix("! Your address is connecting too often; try again in "), "\(line)")
            #expect(line.hasSuffix("s."), "\(line)")
        }
    }

    @Test func leavesLoopbackAloneByDefault() async throws {
        try await TestServer.withServer(
            self.configuration(perAddress: 1, connectRate: 1, connectBurst: 1, limitLoopback: false)
        ) {
            server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            try await clients[0].send("hello")
            #expect(try await clients[2].nextLine() == "<alice> hello")
        }
    }

    @Test func countsIPv6ByItsSlash64AndMappedIPv4AsIPv4() throws {
        let one = try PeerAddress(SocketAddress(ipAddress: "2001:db8:1:2:aaaa::1", port: 1))
        let sibling = try PeerAddress(SocketAddress(ipAddress: "2001:db8:1:2:bbbb::9", port: 2))
        let other = try PeerAddress(SocketAddress(ipAddress: "2001:db8:1:3::1", port: 1))
        #expect(one == sibling)
        #expect(one.key == "2001:db8:1:2::/64")
        #expect(one != other)
        let mapped = try PeerAddress(SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 1))
        #expect(mapped.key == "192.0.2.7")
        #expect(try PeerAddress(SocketAddress(ipAddress: "192.0.2.7", port: 9)) == mapped)
        #expect(try PeerAddress(SocketAddress(ipAddress: "127.0.0.5", port: 1)).isLoopback)
        #expect(try PeerAddress(SocketAddress(ipAddress: "::1", port: 1)).isLoopback)
        #expect(try PeerAddress(SocketAddress(ipAddress: "::ffff:127.0.0.1", port: 1)).isLoopback)
        #expect(try !PeerAddress(SocketAddress(ipAddress: "192.0.2.7", port: 1)).isLoopback)
    }
}
