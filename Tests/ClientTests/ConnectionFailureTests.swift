import ChatCore
import NIOCore
import TerminalClient
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client's connection errors in words, instead of NIO's `NIOConnectionError` dump.
@Suite struct ConnectionFailureTests {
    @Test(arguments: [
        (ECONNREFUSED, ConnectionFailure.Reason.refused),
        (ETIMEDOUT, .timedOut),
        (ENETUNREACH, .networkUnreachable),
        (EHOSTUNREACH, .hostUnreachable),
        (ECONNRESET, .reset),
        (EACCES, .notPermitted),
    ])
    func namesTheConnectErrnosAPersonCanActOn(_ code: CInt, _ reason: ConnectionFailure.Reason) {
        #expect(ConnectionFailure.reason(errno: code) == reason)
        #expect(ConnectionFailure(IOError(errnoCode: code, reason: "connect")).reason == reason)
    }

    @Test func aRefusalIsOneSentenceWithAHint() {
        let failure = ConnectionFailure(IOError(errnoCode: ECONNREFUSED, reason: "connect"))
        #expect(
            failure.message(host: "127.0.0.1", port: 5999)
                == "cannot connect to 127.0.0.1:5999: connection refused; is the server running?"
        )
    }

    @Test func theOtherReasonsReadAsLowercaseSentences() {
        #expect(
            ConnectionFailure(reason: .unknownHost).message(host: "nonexistent.invalid", port: 4242)
                == "cannot connect to nonexistent.invalid:4242: unknown host; is the name spelt right?"
        )
        let timeout = ConnectionFailure(ChannelError.connectTimeout(.seconds(10)))
        #expect(
            timeout.message(host: "10.1.2.3", port: 4242)
                == "cannot connect to 10.1.2.3:4242: timed out; are the address and port right, and is a firewall in "
                + "the way?"
        )
        let descriptions: [(ConnectionFailure.Reason, String)] = [
            (.networkUnreachable, "network unreachable; is this machine online?"),
            (.hostUnreachable, "no route to host; is the address right?"),
            (.resolutionUnavailable, "the name could not be looked up; is DNS reachable?"),
        ]
        for (reason, description) in descriptions {
            #expect(ConnectionFailure(reason: reason).description == description)
        }
    }

    @Test func anUnnamedErrnoFallsBackToItsLowercaseText() {
        let failure = ConnectionFailure(IOError(errnoCode: EADDRNOTAVAIL, reason: "connect"))
        #expect(failure.reason == .other("cannot assign requested address"))
        #expect(failure.hint == nil)
    }

    @Test func anUnknownErrorIsDescribedWithoutControlCharacters() {
        struct Odd: Error, CustomStringConvertible {
            var description: String { "odd\u{1B}[2Jthing" }
        }
        #expect(ConnectionFailure(Odd()).reason == .other("oddthing"))
    }

    @Test func anIPv6LiteralIsBracketedAndTheHostIsCleaned() {
        #expect(ConnectionFailure.address(host: "::1", port: 4242) == "[::1]:4242")
        #expect(ConnectionFailure.address(host: "evil\u{1B}]0;x\u{07}host", port: 1) == "evilhost:1")
    }

    @Test func resolverCodesSplitUnknownFromUnavailable() {
        #expect(ConnectionFailure.reason(resolverCode: Int(EAI_NONAME)) == .unknownHost)
        #expect(ConnectionFailure.reason(resolverCode: Int(EAI_AGAIN)) == .resolutionUnavailable)
    }

    /// The real errors NIO throws, not hand-made ones: `NIOConnectionError` wrapping an `IOError`, and the
    /// resolver's `UnknownHost` (offline, `.invalid` fails at once in the local resolver).
    @Test func theClientThrowsTheseForAClosedPortAndAnUnknownHost() async throws {
        let port = try ClosedPort.take()
        let closed = ServerAddress(host: "127.0.0.1", port: port)
        let refused = await #expect(throws: ConnectionFailure.self) {
            _ = try await ChatClient(addresses: [closed], nickname: "zed").connect(to: closed)
        }
        #expect(refused?.reason == .refused)

        let invalid = ServerAddress(host: "nonexistent.invalid", port: 4242)
        let unknown = await #expect(throws: ConnectionFailure.self) {
            _ = try await ChatClient(addresses: [invalid], nickname: "zed").connect(to: invalid)
        }
        #expect(
            unknown?.reason == .unknownHost || unknown?.reason == .resolutionUnavailable,
            "\(String(describing: unknown))"
        )
    }
}
