import ChatProtocol
import ChatTesting
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import ChatCore

/// ``SessionAdmission``: the one line each kind of refused connection gets, and a full server refusing for real.
@Suite struct SessionAdmissionTests {
    static let configuration: ServerConfiguration = {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxClients = 1
        configuration.maxClientsPerAddress = 3
        return configuration
    }()

    @Test func aFullServerSaysHowManyItHolds() {
        #expect(
            SessionAdmission.refusal(.serverFull, configuration: Self.configuration)
                == "The server is full (1 clients); try again later."
        )
    }

    @Test func anAddressWithTooManyConnectionsIsToldTheLimit() {
        #expect(
            SessionAdmission.refusal(.tooManyFromAddress, configuration: Self.configuration)
                == "Too many connections from your address (at most 3 at once); close one and try again."
        )
    }

    @Test(arguments: [
        (Duration.seconds(3), "3s"),
        (Duration.milliseconds(1500), "2s"),
        (Duration.milliseconds(200), "1s"),
        (Duration.zero, "1s"),
    ])
    func anAddressConnectingTooOftenIsToldWholeSecondsRoundedUp(retryAfter: Duration, said: String) {
        #expect(
            SessionAdmission.refusal(.connectingTooFast(retryAfter: retryAfter), configuration: Self.configuration)
                == "Your address is connecting too often; try again in \(said)."
        )
    }

    @Test func aBannedAddressIsToldWhenTheBanEnds() {
        #expect(
            SessionAdmission.banRefusal(until: "tomorrow")
                == "Your address is banned from this server until tomorrow."
        )
    }

    @Test func theConnectionBeyondMaxClientsIsToldAndClosed() async throws {
        let environment = SessionEnvironment(
            configuration: Self.configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let first = MemoryRecipient()
        let second = MemoryRecipient()
        let admitsFirst = SessionAdmission(endpoint: Self.endpoint(first, "192.0.2.1:5000"), environment: environment)
        let admitsSecond = SessionAdmission(endpoint: Self.endpoint(second, "192.0.2.2:5000"), environment: environment)
        #expect(await admitsFirst.admit())
        #expect(!(await admitsSecond.admit()))
        try await second.lines(untilLine: "! The server is full (1 clients); try again later.")
        #expect(second.isClosed)
        #expect(!first.isClosed)
        #expect(environment.connectionCount == 1)
        environment.tracker.remove(first, from: PeerAddress(hostAndPort: "192.0.2.1:5000"))
    }

    static func endpoint(_ recipient: MemoryRecipient, _ address: String) -> SessionEndpoint {
        SessionEndpoint(
            recipient: recipient,
            address: address,
            peer: PeerAddress(hostAndPort: address),
            eventLoop: MultiThreadedEventLoopGroup.singleton.next()
        )
    }
}
