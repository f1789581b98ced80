import ChatCore
import ChatProtocol
import ChatStoreSQLite
import ChatTesting
import Logging
import NIOCore
import NIOPosix
import PasswordHashing
import Testing

extension ScryptBoundTests {
    /// When a TLS listener exists, a plain connection from another machine is told, before a password is typed or
    /// registered, that it crosses the network in clear, and which port is encrypted. Sessions are driven directly,
    /// since every socket a test can open comes from loopback.
    @Suite struct PlainTextWarningTests {
        static let warning =
            "* This connection is not encrypted: a password typed here crosses the network as "
            + "plain text. The TLS port 4243 is encrypted (client HOST 4243 NICKNAME --tls)."

        private static func withEnvironment(
            tlsListener: Bool = true,
            _ body: (SessionEnvironment) async throws -> Void
        ) async throws {
            try await StoreFixture.withMemoryStore { store in
                var configuration = ServerConfiguration(host: "0.0.0.0", port: 4242)
                configuration.floodRate = 0
                let environment = SessionEnvironment(
                    hub: ChatHub(persistence: Persistence(store: store)),
                    configuration: configuration,
                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
                )
                var addresses = [ListeningAddress(host: "0.0.0.0", port: 4242, kind: "tcp")]
                if tlsListener {
                    addresses.append(ListeningAddress(host: "0.0.0.0", port: 4243, kind: "tls", isEncrypted: true))
                }
                environment.listening.record(addresses)
                try await PasswordHasher.withTestCost { try await body(environment) }
            }
        }

        private static func session(
            _ recipient: MemoryRecipient,
            from address: String,
            encrypted: Bool = false,
            in environment: SessionEnvironment
        ) -> ChatSession {
            ChatSession(
                endpoint: SessionEndpoint(
                    recipient: recipient,
                    address: address,
                    peer: PeerAddress(hostAndPort: address),
                    eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
                    isEncrypted: encrypted
                ),
                environment: environment
            )
        }

        private static func line(_ text: String) -> InboundLine {
            .line(ByteBuffer(string: text))
        }

        /// Joins as alice from `address` and registers her, returning every line she got from /register on.
        private static func register(
            from address: String,
            encrypted: Bool = false,
            in environment: SessionEnvironment
        )
            async throws -> [String]
        {
            let recipient = MemoryRecipient()
            let session = Self.session(recipient, from: address, encrypted: encrypted, in: environment)
            #expect(await session.open())
            _ = await session.receive(Self.line("alice"))
            try await recipient.lines(until: { $0.hasPrefix("* Welcome to slashchat, alice!") })
            _ = await session.receive(Self.line("/register secret123"))
            let lines = try await recipient.lines(until: { $0.hasPrefix("* Registered alice.") })
            await session.finish(.closedByPeer)
            return lines
        }

        @Test func registeringFromAnotherMachineInClearSaysSoAndNamesTheTLSPort() async throws {
            try await Self.withEnvironment { environment in
                let lines = try await Self.register(from: "203.0.113.9:5000", in: environment)
                #expect(lines.first == Self.warning, "\(lines)")

                // The password question says it too, before the prompt.
                let recipient = MemoryRecipient()
                let again = Self.session(recipient, from: "198.51.100.4:6000", in: environment)
                #expect(await again.open())
                _ = await again.receive(Self.line("alice"))
                let asked = try await recipient.lines(until: { $0.hasSuffix("is registered. Password:") })
                #expect(asked.suffix(2).first == Self.warning, "\(asked)")
                await again.finish(.closedByPeer)
            }
        }

        @Test func loopbackAndTLSConnectionsAreNotWarned() async throws {
            try await Self.withEnvironment { environment in
                let local = try await Self.register(from: "127.0.0.1:5000", in: environment)
                #expect(!local.contains(Self.warning), "\(local)")
                let recipient = MemoryRecipient()
                let overTLS = Self.session(recipient, from: "203.0.113.9:5000", encrypted: true, in: environment)
                #expect(await overTLS.open())
                _ = await overTLS.receive(Self.line("alice"))
                let asked = try await recipient.lines(until: { $0.hasSuffix("is registered. Password:") })
                #expect(!asked.contains(Self.warning), "\(asked)")
                await overTLS.finish(.closedByPeer)
            }
        }

        @Test func withoutATLSListenerThereIsNothingToPointAt() async throws {
            try await Self.withEnvironment(tlsListener: false) { environment in
                let lines = try await Self.register(from: "203.0.113.9:5000", in: environment)
                #expect(!lines.contains { $0.contains("not encrypted") }, "\(lines)")
            }
        }
    }
}
