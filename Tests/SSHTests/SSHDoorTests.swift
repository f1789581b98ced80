import ChatCore
import ChatTesting
import Crypto
import NIOCore
import NIOSSH
import Testing

@testable import ChatTransportSSH

/// The SSH door with swift-nio-ssh's client: who may log in as which nickname, plain lines without a terminal, and
/// everything but one shell refused.
@Suite struct SSHDoorTests {
    @Test func aFreeNicknameJoinsWithAnyKeyAndChatsWithAPlainUser() async throws {
        try await SSHTestServer.with { server, port, hostKey in
            let bob = try await server.join("bob")
            let client = try await SSHTestClient.connect(
                port: port,
                user: "alice",
                offering: [.key(Curve25519.Signing.PrivateKey())]
            )
            // The host key the door presents is the one whose fingerprint the server printed.
            let presented = try #require(SSHKeyFingerprint.accountKey(client.hostKey))
            #expect(presented.fingerprint == hostKey.fingerprint)
            let session = try await client.openChannel()
            #expect(try await session.startShell())
            try await session.lines(until: { $0.hasPrefix("* Welcome to slashchat, alice!") })
            try await bob.expectLine(containing: "* alice joined #main")
            try await session.send("hello from ssh :tada:")
            try await bob.expectLine(containing: "<alice> hello from ssh 🎉")
            try await bob.send("hi alice")
            try await session.lines(until: { $0 == "<bob> hi alice" })
            try await session.send("/quit bye")
            try await session.lines(until: { $0 == "* Goodbye!" })
            let end = try await session.waitForEnd()
            #expect(end.status == 0)
            try await bob.expectLine(containing: "* alice left #main (quit: bye)")
            await client.close()
        }
    }

    @Test func aRegisteredNicknameNeedsItsPasswordOrABoundKey() async throws {
        try await SSHTestServer.with { server, port, _ in
            let carol = try await server.join("carol")
            try await carol.send("/register s3cret-pass")
            try await carol.expectLine(containing: "* Registered carol.")
            try await carol.send("/quit")
            _ = try await carol.expectClosed()

            // A key nobody bound, and a wrong password, are refused.
            await #expect(throws: ExpectationFailure.self) {
                try await SSHTestClient.connect(
                    port: port,
                    user: "carol",
                    offering: [.key(Curve25519.Signing.PrivateKey()), .password("wrong-pass")]
                )
            }
            // The right password logs the owner in, past the question.
            let key = Curve25519.Signing.PrivateKey()
            let client = try await SSHTestClient.connect(
                port: port,
                user: "carol",
                offering: [.key(key), .password("s3cret-pass")]
            )
            let session = try await client.openChannel()
            #expect(try await session.startShell())
            try await session.lines(until: { $0.hasPrefix("* Welcome") && $0.contains("carol") })
            // The key offered before the password is the one `/keys add` binds.
            try await session.send("/keys add")
            try await session.lines(until: { $0.hasPrefix("* Bound SHA256:") })
            try await session.send("/quit")
            _ = try await session.waitForEnd()
            await client.close()

            // From now on the key alone logs carol in.
            let again = try await SSHTestClient.connect(port: port, user: "carol", offering: [.key(key)])
            let second = try await again.openChannel()
            #expect(try await second.startShell())
            try await second.lines(until: { $0.hasPrefix("* Welcome") && $0.contains("carol") })
            try await second.send("/keys remove 1")
            try await second.lines(until: { $0.hasPrefix("* Removed key 1, SHA256:") })
            try await second.send("/quit")
            _ = try await second.waitForEnd()
            await again.close()
            await #expect(throws: ExpectationFailure.self) {
                try await SSHTestClient.connect(port: port, user: "carol", offering: [.key(key)])
            }
        }
    }

    @Test func registeringOverSSHBindsTheKeyTheSessionLoggedInWith() async throws {
        try await SSHTestServer.with { server, port, _ in
            let key = Curve25519.Signing.PrivateKey()
            let client = try await SSHTestClient.connect(port: port, user: "dave", offering: [.key(key)])
            let session = try await client.openChannel()
            #expect(try await session.startShell())
            try await session.lines(until: { $0.hasPrefix("* Welcome to slashchat, dave!") })
            try await session.send("/register dave-pass-1")
            let bound = try await session.lines(until: { $0.hasPrefix("* Your SSH key SHA256:") })
            #expect(bound.contains { $0.hasPrefix("* Registered dave.") })
            try await session.send("/keys")
            let listed = try await session.lines(until: { $0.hasPrefix("*   1. SHA256:") })
            #expect(listed.last?.contains("(ssh-ed25519, added ") == true)
            try await session.send("/quit")
            _ = try await session.waitForEnd()
            await client.close()
            // Another key is not enough now; the bound one is.
            await #expect(throws: ExpectationFailure.self) {
                try await SSHTestClient.connect(
                    port: port,
                    user: "dave",
                    offering: [.key(Curve25519.Signing.PrivateKey())]
                )
            }
            let again = try await SSHTestClient.connect(port: port, user: "dave", offering: [.key(key)])
            await again.close()
        }
    }

    @Test func someoneWithoutAKeyJoinsAFreeNicknameWithAnyPassword() async throws {
        try await SSHTestServer.with { server, port, _ in
            let client = try await SSHTestClient.connect(port: port, user: "erin", offering: [.password("")])
            let session = try await client.openChannel()
            #expect(try await session.startShell())
            try await session.lines(until: { $0.hasPrefix("* Welcome to slashchat, erin!") })
            // Without a key there is nothing for /register to bind.
            try await session.send("/keys add")
            try await session.lines(until: { $0.hasPrefix("! ") })
            await client.close()
        }
    }

    @Test func aTakenOrInvalidNameIsAskedForANicknameAsOnTCP() async throws {
        try await SSHTestServer.with { server, port, _ in
            _ = try await server.join("frank")
            for user in ["frank", "not valid!"] {
                let client = try await SSHTestClient.connect(
                    port: port,
                    user: user,
                    offering: [.key(Curve25519.Signing.PrivateKey())]
                )
                let session = try await client.openChannel()
                #expect(try await session.startShell())
                let lines = try await session.lines(until: { $0.hasPrefix("* Choose a nickname") })
                #expect(lines.contains { $0.hasPrefix("! ") })
                try await session.send("grace")
                try await session.lines(until: { $0.hasPrefix("* Welcome to slashchat, grace!") })
                try await session.send("/quit")
                _ = try await session.waitForEnd()
                await client.close()
            }
        }
    }

    @Test func theEndOfTheInputStillGetsItsAnswersThenExitsZero() async throws {
        try await SSHTestServer.with { server, port, _ in
            let client = try await SSHTestClient.connect(
                port: port,
                user: "heidi",
                offering: [.key(Curve25519.Signing.PrivateKey())]
            )
            let session = try await client.openChannel()
            #expect(try await session.startShell())
            try await session.lines(until: { $0.hasPrefix("* Welcome to slashchat, heidi!") })
            // A script's last command, then its end: `echo /who | ssh -T ...`.
            try await session.send("/who")
            try await session.sendEOF()
            try await session.lines(until: { $0.hasPrefix("* #main (1): heidi") })
            let end = try await session.waitForEnd()
            #expect(end.status == 0)
            await client.close()
        }
    }

    @Test func commandsSubsystemsForwardingAndASecondSessionAreRefused() async throws {
        try await SSHTestServer.with { server, port, _ in
            let key = Curve25519.Signing.PrivateKey()
            let client = try await SSHTestClient.connect(port: port, user: "ivan", offering: [.key(key)])
            let exec = try await client.openChannel()
            #expect(
                try await exec.request(SSHChannelRequestEvent.ExecRequest(command: "ls /", wantReply: true)) == false
            )
            let execEnd = try await exec.waitForEnd()
            #expect(execEnd.stderr.contains("runs no commands"))
            #expect(execEnd.status == 1)
            await client.close()

            let second = try await SSHTestClient.connect(port: port, user: "ivan", offering: [.key(key)])
            let subsystem = try await second.openChannel()
            #expect(
                try await subsystem.request(SSHChannelRequestEvent.SubsystemRequest(subsystem: "sftp", wantReply: true))
                    == false
            )
            _ = try await subsystem.waitForEnd()
            await second.close()

            let third = try await SSHTestClient.connect(port: port, user: "ivan", offering: [.key(key)])
            let forward = SSHChannelType.DirectTCPIP(
                targetHost: "127.0.0.1",
                targetPort: server.port,
                originatorAddress: try SocketAddress(ipAddress: "127.0.0.1", port: 40_000)
            )
            await #expect(throws: (any Error).self) { try await third.openChannel(.directTCPIP(forward)) }
            let shell = try await third.openChannel()
            #expect(try await shell.startShell())
            try await shell.lines(until: { $0.hasPrefix("* Welcome to slashchat, ivan!") })
            await #expect(throws: (any Error).self) { try await third.openChannel() }
            await third.close()
        }
    }
}
