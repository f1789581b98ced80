import ChatCore
import ChatTesting
import Testing

/// The real `client` binary without a terminal, as a script runs it: what lands on stdout and stderr, and the
/// exit code.
@Suite(.enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment))
struct PlainClientTests {
    @Test func saysSoWhenTheServerSendsALineTooLongToShow() async throws {
        let welcome = ##"{"type":"welcome","text":"Welcome, zed!","to":"zed","room":"#main"}"##
        let after = #"{"type":"notice","text":"still here"}"#
        let script =
            Array((welcome + "\n").utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 70 * 1024)
            + Array(("\n" + after + "\n").utf8)
        try await ScriptedServer.with(sending: script) { server in
            let run = try await PlainClientRun.run(port: server.port, nickname: "zed")
            let printed = run.standardOutput + run.standardError
            #expect(printed.contains("! The server sent a line over 64 KiB; it was not shown."), "\(printed)")
            #expect(printed.contains("still here"), "\(printed)")
        }
    }

    @Test func aClosedPortIsOneSentenceOnStderrAndExitTwo() async throws {
        let port = try ClosedPort.take()
        let run = try await PlainClientRun.run(port: port, nickname: "zed")
        #expect(run.status == 2, "\(run)")
        #expect(
            run.standardError == "cannot connect to 127.0.0.1:\(port): connection refused; is the server running?\n",
            "\(run)"
        )
        #expect(run.standardOutput.isEmpty, "\(run)")
    }

    @Test func anUnknownHostIsOneSentenceOnStderrAndExitTwo() async throws {
        let run = try await PlainClientRun.run(host: "nonexistent.invalid", port: 4242, nickname: "zed")
        #expect(run.status == 2, "\(run)")
        let unknown = "cannot connect to nonexistent.invalid:4242: unknown host; is the name spelt right?\n"
        let noDNS = "cannot connect to nonexistent.invalid:4242: the name could not be looked up; is DNS reachable?\n"
        #expect(run.standardError == unknown || run.standardError == noDNS, "\(run)")
    }

    @Test func theNicknameQuestionTheClientAnswersIsNotPrinted() async throws {
        try await TestServer.withServer { server in
            let bob = try await PeerClient.join(port: server.port, as: "bob")
            let run = try await PlainClientRun.run(port: server.port, nickname: "alice", input: "hi bob\n")
            #expect(run.status == 0, "\(run)")
            #expect(run.standardOutput.contains("* Welcome to slashchat, where messages are also commands!"), "\(run)")
            #expect(run.standardOutput.contains("Welcome to slashchat, alice!"), "\(run)")
            #expect(!run.standardOutput.contains("Choose a nickname"), "\(run)")
            #expect(run.standardError.isEmpty, "\(run)")
            try await bob.waitForText("<alice> hi bob")
            await bob.close()
        }
    }

    /// A script's lines are chat: when its nickname is taken, none of them may be taken for a new nickname.
    @Test func aTakenNicknameIsShownAndEndsTheSessionBeforeAnyLineIsSent() async throws {
        try await TestServer.withServer { server in
            let bot = try await PeerClient.join(port: server.port, as: "bot")
            let run = try await PlainClientRun.run(port: server.port, nickname: "bot", input: "hello\nsecond line\n")
            #expect(run.status == 3, "\(run)")
            #expect(run.standardOutput.contains("! The nickname bot is taken; choose another nickname."), "\(run)")
            #expect(!run.standardOutput.contains("Choose a nickname ("), "\(run)")
            let refusal = "127.0.0.1:\(server.port) refused the nickname bot; choose another\n"
            #expect(run.standardError == refusal, "\(run)")
            // Give a stray join a moment to show before looking.
            try await Task.sleep(for: .milliseconds(300))
            #expect(await server.server.hub.connectedUsers().map(\.nickname) == ["bot"])
            #expect(!bot.text.contains("hello joined"), "\(bot.text)")
            await bot.close()
        }
    }

    /// Lines wait while the client joins and while the server pushes back; none is dropped on the way, even when
    /// stdin holds far more than the reader buffers.
    @Test func everyLineOfALongScriptArrivesInOrder() async throws {
        try await TestServer.withServer(.loopback(floodRate: 0)) { server in
            let bob = try await PeerClient.join(port: server.port, as: "bob")
            let count = 500
            let input = (1...count).map { "line \($0)\n" }.joined()
            let run = try await PlainClientRun.run(port: server.port, nickname: "alice", input: input)
            #expect(run.status == 0, "\(run)")
            try await bob.waitForText("<alice> line \(count)\n")
            let received = bob.text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("<alice> line ") }
            #expect(received == (1...count).map { "<alice> line \($0)" }, "\(received.count) of \(count) arrived")
            await bob.close()
        }
    }
}
