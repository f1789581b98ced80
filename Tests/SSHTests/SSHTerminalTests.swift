import ChatCore
import ChatTerminal
import ChatTesting
import Crypto
import Foundation
import NIOSSH
import Testing

@testable import ChatTransportSSH

/// The chat drawn on an SSH user's terminal (the client asked for a pty), read back through a model terminal: the
/// prompt line keeps what is typed while lines arrive, nickname colours, Tab completion, the hidden password,
/// resizes, the train, and leaving with Ctrl-C or Ctrl-D.
@Suite struct SSHTerminalTests {
    @Test func incomingLinesScrollAboveAPromptThatKeepsWhatIsTyped() async throws {
        try await SSHTestServer.with { server, port, _ in
            let bob = try await server.join("bob")
            let client = try await SSHTestClient.connect(
                port: port,
                user: "alice",
                offering: [.key(Curve25519.Signing.PrivateKey())]
            )
            let session = try await client.openChannel()
            #expect(try await session.startTerminal(columns: 60))
            try await session.screen(columns: 60) { screen in
                screen.nonBlankLines.contains { $0.contains("Welcome to slashchat, alice!") }
                    && screen.cursorLine == ">"
            }
            try await bob.expectLine(containing: "* alice joined #main")

            try await session.press("hel")
            try await session.screen(columns: 60) { $0.cursorLine == "> hel" }
            try await bob.send("hi alice")
            let during = try await session.screen(columns: 60) { screen in
                screen.nonBlankLines.contains { $0.hasSuffix("<bob> hi alice") }
            }
            #expect(during.cursorLine == "> hel")
            #expect(during.cursorColumn == 5)
            // Bob's nickname in his colour, as the terminal client shows it.
            let colour = TerminalStyle.colourCode(for: "bob")
            #expect(String(decoding: session.output, as: UTF8.self).contains("\u{1B}[1;\(colour)mbob\u{1B}[0m"))

            try await session.press("lo :tada:\r")
            try await bob.expectLine(containing: "<alice> hello 🎉")
            try await session.screen(columns: 60) { screen in
                screen.nonBlankLines.contains { $0.hasSuffix("<alice> hello 🎉") } && screen.cursorLine == ">"
            }
            // The user's terminal is raw, with no line discipline on the server's side: every line feed is CR LF.
            let output = session.output
            #expect(output.indices.allSatisfy { output[$0] != 0x0A || ($0 > 0 && output[$0 - 1] == 0x0D) })

            // Tab completes the commands the welcome listed.
            try await session.press("/he\t")
            try await session.screen(columns: 60) { $0.cursorLine == "> /help" }
            try await session.press("\r")
            try await session.screen(columns: 60) { screen in
                screen.history.contains { $0.contains("/who") } && screen.cursorLine == ">"
            }

            // Ctrl-C leaves: the goodbye, a clean line, exit status 0.
            try await session.press("\u{03}")
            try await bob.expectLine(containing: "* alice left #main")
            #expect(try await session.waitForEnd().status == 0)
            await client.close()
        }
    }

    @Test func aPasswordTypedAtItsPromptIsNeverShown() async throws {
        try await SSHTestServer.with { server, port, _ in
            let carol = try await server.join("carol")
            try await carol.send("/register s3cret-pass")
            try await carol.expectLine(containing: "* Registered carol.")
            try await carol.send("/quit")
            _ = try await carol.expectClosed()
            _ = try await server.join("frank")

            // Frank's name is taken: the nickname question, answered with a registered name, then its password.
            let client = try await SSHTestClient.connect(
                port: port,
                user: "frank",
                offering: [.key(Curve25519.Signing.PrivateKey())]
            )
            let session = try await client.openChannel()
            #expect(try await session.startTerminal(columns: 60, term: "dumb"))
            try await session.screen(columns: 60) { $0.cursorLine == "answer:" }
            try await session.press("carol\r")
            try await session.screen(columns: 60) { $0.cursorLine == "password:" }
            try await session.press("s3cret-pass")
            let typing = try await session.screen(columns: 60) { $0.cursorLine == "password:" }
            #expect(typing.cursorColumn == "password: ".count)
            try await session.press("\r")
            try await session.screen(columns: 60) { screen in
                screen.nonBlankLines.contains { $0.contains("Welcome to slashchat, carol!") }
            }
            let output = String(decoding: session.output, as: UTF8.self)
            #expect(!output.contains("s3cret-pass"))
            // TERM=dumb: no colours.
            #expect(!output.contains("\u{1B}[0m"))

            // Ctrl-D on an empty line leaves too.
            try await session.press("\u{04}")
            #expect(try await session.waitForEnd().status == 0)
            await client.close()
        }
    }

    @Test func theWindowsWidthIsKeptAndTheTrainCrossesIt() async throws {
        try await SSHTestServer.with { server, port, _ in
            let client = try await SSHTestClient.connect(
                port: port,
                user: "ivy",
                offering: [.key(Curve25519.Signing.PrivateKey())]
            )
            let session = try await client.openChannel()
            #expect(try await session.startTerminal(columns: 30))
            try await session.screen(columns: 30) { $0.cursorLine == ">" }
            // Longer than the window: the prompt line scrolls to keep the cursor in view, and never wraps.
            let long = String(repeating: "abcdefghij", count: 5)
            try await session.press(long)
            let narrow = try await session.screen(columns: 30) { $0.cursorLine.hasSuffix("hij") }
            #expect(narrow.cursorLine.count < 30)
            #expect(narrow.cursorColumn < 30)
            // Wider: the whole line shows.
            try await session.resize(columns: 100)
            try await session.screen(columns: 100) { $0.cursorLine == "> " + long }

            // The train rolls across and leaves; the typed text is still there.
            try await session.press("\r/train\r")
            try await session.screen(columns: 100) { screen in
                screen.history.contains { $0.contains(long) } && screen.cursorLine == ">"
            }
            let end = "A\r\u{1B}[J\r\u{1B}[K> "
            try await session.screen(columns: 100) { _ in
                String(decoding: session.output, as: UTF8.self).contains(end)
            }
            let output = String(decoding: session.output, as: UTF8.self)
            let frames = output.components(separatedBy: "A\r\u{1B}[K").count - 1
            #expect(frames > 20, "the train crossed in \(frames) frames")

            try await session.press("/quit\r")
            #expect(try await session.waitForEnd().status == 0)
            await client.close()
        }
    }
}
