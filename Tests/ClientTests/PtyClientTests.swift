import ChatCore
import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real `client` binary on a pseudo-terminal, against an in-process server: what a person at a terminal sees.
@Suite(.enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment))
struct PtyClientTests {
    /// The prompt line, as drawn after `text` was typed.
    private static func prompt(_ text: String) -> String {
        "> " + text
    }

    /// Starts the client as `alice`, waits for her welcome and hands her to `body`; the client is killed afterwards
    /// if it is still running.
    private static func withClient(
        port: Int,
        _ body: (ClientProcess) async throws -> Void
    ) async throws {
        let client = try ClientProcess(port: port, nickname: "alice")
        defer { client.stop() }
        // The welcome means raw mode is on: typing earlier would be flushed by the client's TCSAFLUSH.
        try await client.waitForLine(containing: "Welcome to slashchat, alice!")
        try await body(client)
    }

    @Test func anIncomingMessageLeavesTheHalfTypedLineIntactAndTheLineIsSentWhole() async throws {
        try await TestServer.withServer { server in
            try await Self.withClient(port: server.port) { alice in
                let bob = try await PeerClient.join(port: server.port, as: "bob")
                try await alice.waitForLine(containing: "* bob joined #main")

                alice.type("hello wor")
                try await alice.waitForScreen("the half-typed line") { $0.cursorLine == Self.prompt("hello wor") }

                try await bob.send("hi alice, how are you?")
                let screen = try await alice.waitForLine(containing: "<bob> hi alice, how are you?")
                #expect(screen.cursorLine == Self.prompt("hello wor"), "\(screen)")
                #expect(screen.cursorColumn == Self.prompt("hello wor").count, "\(screen)")
                let messageRow = try #require(screen.lines.lastIndex { $0.contains("<bob> hi alice, how are you?") })
                #expect(messageRow < screen.cursorRow, "the message is shown above the prompt:\n\(screen)")
                #expect(screen.lines.filter { $0.contains("hello wor") }.count == 1, "\(screen)")

                alice.type("ld\r")
                try await bob.waitForText("<alice> hello world\n")
                try await alice.waitForLine(containing: "<alice> hello world")
                try await alice.waitForScreen("an empty prompt") { $0.cursorLine == ">" }
                await bob.close()
            }
        }
    }

    /// A paste of 10,000 characters (words, as prose is) arrives whole, as three messages, and says so.
    @Test func aLongPasteArrivesWholeAsSeveralMessages() async throws {
        try await TestServer.withServer { server in
            try await Self.withClient(port: server.port) { alice in
                let bob = try await PeerClient.join(port: server.port, as: "bob")
                try await alice.waitForLine(containing: "* bob joined #main")
                let words = (1...1250).map { String(format: "w%06d", $0) }
                let paste = words.joined(separator: " ")
                alice.type(paste + "\r")
                try await alice.waitForLine(containing: "it went out as 3 messages")
                try await bob.waitForText(words.last! + "\n")
                let received = bob.text.split(separator: "\n").filter { $0.hasPrefix("<alice> ") }
                #expect(received.count == 3)
                #expect(received.map { $0.dropFirst("<alice> ".count) }.joined(separator: " ") == paste)
                await bob.close()
            }
        }
    }

    @Test func aResizedTerminalRedrawsThePromptAtOnce() async throws {
        try await TestServer.withServer { server in
            try await Self.withClient(port: server.port) { alice in
                alice.type("hello")
                try await alice.waitForScreen("the typed text") { $0.cursorLine == Self.prompt("hello") }
                let before = alice.terminal.output.count
                alice.send(signal: SIGWINCH)
                let redrawn = await Deadline.poll(within: TestTime.expected) {
                    String(decoding: alice.terminal.output[before...], as: UTF8.self).contains(
                        "\u{1B}[J\r\u{1B}[K> hello"
                    )
                }
                #expect(redrawn, "no redraw after SIGWINCH")
            }
        }
    }

    @Test func ctrlCExitsCleanlyAndRestoresTheTerminal() async throws {
        try await TestServer.withServer { server in
            let terminal = try PseudoTerminal(rows: 30, columns: 100)
            let original: termios
            do {
                original = try terminal.settings()
            } catch {
                terminal.close()
                throw error
            }
            #expect(original.c_lflag & tcflag_t(ECHO | ICANON) == tcflag_t(ECHO | ICANON))
            let client = try ClientProcess(port: server.port, nickname: "alice", terminal: terminal)
            defer { client.stop() }
            try await client.waitForLine(containing: "Welcome to slashchat, alice!")
            let raw = try client.terminal.settings()
            #expect(raw.c_lflag & tcflag_t(ECHO | ICANON) == 0, "the client runs the terminal raw")

            client.type("not sent")
            client.type([0x03])
            let status = await client.waitForExit()
            #expect(status == 0, "exit status \(status.map(String.init) ?? "none: still running")\n\(client.screen)")
            let restored = try client.terminal.settings()
            #expect(restored.comparableFields == original.comparableFields)
            #expect(restored.c_lflag & tcflag_t(ECHO | ICANON) == tcflag_t(ECHO | ICANON))
        }
    }

    @Test func reconnectsAfterAServerRestartAndReturnsToItsRoom() async throws {
        let port = try await TestServer.freePort()
        var launched: ClientProcess?
        defer { launched?.stop() }
        try await TestServer.withServer(.loopback(port: port)) { first in
            let client = try ClientProcess(port: first.port, nickname: "alice")
            launched = client
            try await client.waitForLine(containing: "Welcome to slashchat, alice!")
            client.type("/join #games\r")
            try await client.waitForLine(containing: "* alice joined #games")
            #expect(await first.server.hub.connectedUsers().map(\.room) == ["#games"])
            #expect(await first.stop())
        }
        let client = try #require(launched)
        try await client.waitForLine(containing: "The server is shutting down")
        try await client.waitForLine(containing: "lost; reconnecting in 1s")

        try await TestServer.withServer(.loopback(port: port)) { second in
            let screen = try await client.waitForScreen("the rejoin to #games") { screen in
                screen.history.filter { $0.contains("* alice joined #games") }.count == 2
            }
            #expect(screen.history.filter { $0.contains("Welcome to slashchat, alice!") }.count == 2, "\(screen)")
            try await Self.expectBackInGames(client, on: second, saying: "back again")
        }
    }

    /// Checks that `server` has alice (the client) in #games, and that a line she types there reaches bob.
    private static func expectBackInGames(
        _ client: ClientProcess,
        on server: TestServer,
        saying line: String
    ) async throws {
        let found = await Deadline.poll(within: TestTime.expected) {
            await server.server.hub.connectedUsers().map { "\($0.nickname) \($0.room)" } == ["alice #games"]
        }
        let users = await server.server.hub.connectedUsers().map { "\($0.nickname) \($0.room)" }
        #expect(found, "the server never saw alice in #games: \(users)")
        let bob = try await PeerClient.join(port: server.port, as: "bob")
        try await bob.send("/join #games")
        try await client.waitForLine(containing: "* bob joined #games")
        client.type(line + "\r")
        try await bob.waitForText("<alice> \(line)")
        await bob.close()
    }

    /// `--server`: a dead first address is skipped at once for the next; when that node stops, the reconnect
    /// starts with the address after it, and the client says where it landed each time.
    @Test func skipsADeadAddressAndReconnectsToTheNextNodeWhenItsServerStops() async throws {
        let dead = try ClosedPort.take()
        try await TestServer.withServer { second in
            try await TestServer.withServer { first in
                let client = try ClientProcess(
                    port: dead,
                    nickname: "alice",
                    arguments: ["--server", "127.0.0.1:\(first.port)", "--server", "127.0.0.1:\(second.port)"],
                    terminal: PseudoTerminal(rows: 30, columns: 140)
                )
                defer { client.stop() }
                try await client.waitForLine(
                    containing:
                        "! cannot connect to 127.0.0.1:\(dead): connection refused; trying 127.0.0.1:\(first.port)…"
                )
                try await client.waitForLine(containing: "* connected to 127.0.0.1:\(first.port)")
                try await client.waitForLine(containing: "Welcome to slashchat, alice!")
                client.type("/join #games\r")
                try await client.waitForLine(containing: "* alice joined #games")
                #expect(await first.stop())

                try await client.waitForLine(
                    containing: "! Connection to 127.0.0.1:\(first.port) lost; reconnecting in 1s…"
                )
                let screen = try await client.waitForLine(containing: "* reconnected to 127.0.0.1:\(second.port)")
                // Straight to the next node: the dead first address comes after it in this round, so it was tried
                // only once, at the start.
                let deadTries = screen.history.filter { $0.contains("cannot connect to 127.0.0.1:\(dead)") }
                #expect(deadTries.count == 1, "\(screen)")

                try await Self.expectBackInGames(client, on: second, saying: "landed on the second node")
            }
        }
    }

    @Test func ctrlCWhileWaitingToReconnectExitsPromptly() async throws {
        var launched: ClientProcess?
        var port = 0
        defer { launched?.stop() }
        try await TestServer.withServer { server in
            let client = try ClientProcess(port: server.port, nickname: "alice")
            launched = client
            port = server.port
            try await client.waitForLine(containing: "Welcome to slashchat, alice!")
            #expect(await server.stop())
        }
        let client = try #require(launched)
        // Nothing listens now: each retry fails and the client waits longer before the next one, saying why in
        // the same words as a first attempt. Ctrl-C comes during the 8 s wait, which leaves room to tell "at once"
        // from "at the next retry" on a busy machine, where a process can take seconds just to be scheduled.
        try await client.waitForLine(
            containing: "! cannot connect to 127.0.0.1:\(port): connection refused; reconnecting in 2s…"
        )
        try await client.waitForLine(containing: "reconnecting in 8s…")
        client.type([0x03])
        let pressed = ContinuousClock.now
        let status = await client.waitForExit()
        let waited = pressed.duration(to: .now)
        #expect(status == 0)
        // Real time is the point: out well before the retry 8 s away; and no retry seen.
        #expect(waited < .seconds(6), "the client exited \(waited) after Ctrl-C")
        #expect(!client.screen.history.contains { $0.contains("reconnecting in 15s") }, "\(client.screen)")
    }

    @Test func theNicknameQuestionTheClientAnswersIsNotShown() async throws {
        try await TestServer.withServer { server in
            try await Self.withClient(port: server.port) { alice in
                let screen = alice.screen
                let greeting = "Welcome to slashchat, where messages are also commands!"
                #expect(screen.history.contains { $0.contains(greeting) })
                #expect(!screen.history.contains { $0.contains("Choose a nickname") }, "\(screen)")
            }
        }
    }

    /// The refusal is shown, and so is the question asked again: the client answered only the first one, so the
    /// next line typed is the new nickname.
    @Test func aTakenNicknameIsShownAndTheNextTypedLineIsTheNewNickname() async throws {
        try await TestServer.withServer { server in
            let other = try await PeerClient.join(port: server.port, as: "alice")
            let client = try ClientProcess(port: server.port, nickname: "alice")
            defer { client.stop() }
            try await client.waitForLine(containing: "! The nickname alice is taken; choose another nickname.")
            let asked = try await client.waitForLine(containing: "Choose a nickname (")
            #expect(asked.history.filter { $0.contains("Choose a nickname") }.count == 1, "\(asked)")
            client.type("alice2\r")
            try await client.waitForLine(containing: "Welcome to slashchat, alice2!")
            try await other.waitForText("* alice2 joined #main")
            client.type("hi\r")
            try await other.waitForText("<alice2> hi")
            await other.close()
        }
    }

    @Test func aClosedPortIsSaidInWordsAndExitsTwo() async throws {
        let port = try ClosedPort.take()
        let client = try ClientProcess(port: port, nickname: "zed")
        defer { client.stop() }
        try await client.waitForLine(
            containing: "! cannot connect to 127.0.0.1:\(port): connection refused; is the server running?"
        )
        let status = await client.waitForExit()
        #expect(status == 2, "\(client.screen)")
        #expect(!client.screen.history.contains { $0.contains("NIOConnectionError") || $0.contains("errno") })
    }
}
