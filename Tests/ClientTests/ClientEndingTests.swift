import ChatTesting
import Foundation
import NIOCore
import Testing

@testable import TerminalClient

/// When retrying cannot help, the client stops with a clear sentence and its own exit status instead of
/// reconnecting forever; and a closed stdout ends it quietly.
@Suite(.enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment))
struct ClientEndingTests {
    /// The server's last words, as it sends them, and what the plain client must make of them.
    static let farewells: [(script: String, status: Int32, says: String)] = [
        (
            "! This port speaks TLS: connect with `client HOST PORT NICKNAME --tls` or the plain port 4242.\n",
            6,
            "speaks TLS: connect with --tls"
        ),
        (
            #"{"type":"error","text":"Your address is banned from this server until tomorrow."}"# + "\n",
            4,
            "has banned zed or this address; not connecting again"
        ),
        (
            #"{"type":"error","text":"You have been disconnected: logged in from elsewhere."}"# + "\n",
            5,
            "zed logged in to 127.0.0.1:"
        ),
    ]

    @Test(arguments: 0..<Self.farewells.count)
    func aFarewellThatRetryingCannotFixHasItsOwnExitStatus(index: Int) async throws {
        let farewell = Self.farewells[index]
        try await ScriptedServer.with(sending: Array(farewell.script.utf8), linger: .milliseconds(200)) { server in
            let run = try await PlainClientRun.run(port: server.port, nickname: "zed", input: "")
            #expect(run.status == farewell.status, "\(run)")
            #expect(run.standardError.contains(farewell.says), "\(run)")
        }
    }

    @Test func theInteractiveClientStopsInsteadOfReconnectingWhenReplaced() async throws {
        let welcome = ##"{"type":"welcome","text":"Welcome to slashchat, alice!","to":"alice","room":"#main"}"##
        let replaced = #"{"type":"error","text":"You have been disconnected: logged in from elsewhere."}"#
        let script = Array((welcome + "\n" + replaced + "\n").utf8)
        try await ScriptedServer.with(sending: script, linger: .milliseconds(200)) { server in
            let client = try ClientProcess(port: server.port, nickname: "alice")
            defer { client.stop() }
            try await client.waitForLine(containing: "which replaced this session", timeout: TestTime.expected)
            #expect(await client.waitForExit(timeout: TestTime.expected) == 5)
            let everything = client.terminal.screen.history.joined(separator: "\n")
            #expect(!everything.contains("reconnecting"), "\(everything)")
        }
    }

    /// `client … | head -1`: the reader goes away, and the client leaves quietly with status 0, no crash.
    @Test func aClosedStdoutEndsTheClientQuietly() async throws {
        let welcome = ##"{"type":"welcome","text":"Welcome to slashchat, zed!","to":"zed","room":"#main"}"##
        let notices = (1...200).map { #"{"type":"notice","text":"line \#($0)"}"# }.joined(separator: "\n")
        let script = Array((welcome + "\n" + notices + "\n").utf8)
        try await ScriptedServer.with(sending: script, linger: .seconds(30)) { server in
            let executable = try #require(ClientProcess.executable)
            let process = Process()
            process.executableURL = executable
            process.arguments = ["127.0.0.1", "\(server.port)", "zed"]
            let output = Pipe()
            let errors = Pipe()
            let input = Pipe()
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = input
            try ProcessLaunch.run(process)
            // Nobody will ever read stdout: every write the client makes fails with EPIPE.
            try output.fileHandleForReading.close()
            let finished = await Deadline.poll(within: TestTime.expected) { !process.isRunning }
            if !finished { process.terminate() }
            try input.fileHandleForWriting.close()
            #expect(finished, "the client kept running with nobody reading its output")
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(said)")
            #expect(!said.contains("Fatal error"), "\(said)")
            #expect(said.isEmpty, "\(said)")
        }
    }
}

/// What the terminal client does with typed lines before the server has let it in.
@Suite struct ConnectionLinkTests {
    private func collect(_ stream: AsyncStream<String>) async -> [String] {
        var lines: [String] = []
        for await line in stream { lines.append(line) }
        return lines
    }

    @Test func holdsChatLinesUntilTheWelcomeAndLetsOnlyTheAnswerThrough() async {
        let link = ConnectionLink()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        link.attach(continuation)
        #expect(link.send("/roll 2d6") == .held)
        #expect(link.send("hello") == .held)
        #expect(link.answer("secret123"))
        link.markJoined(first: "/join #dev")
        #expect(link.send("after") == .sent)
        link.detach()
        #expect(await self.collect(stream) == ["secret123", "/join #dev", "/roll 2d6", "hello", "after"])
    }

    @Test func keepsHeldLinesForTheNextConnectionAndRefusesLinesWithoutOne() async {
        let link = ConnectionLink()
        let (first, firstSink) = AsyncStream.makeStream(of: String.self)
        link.attach(firstSink)
        #expect(link.send("typed early") == .held)
        link.detach()
        #expect(await self.collect(first).isEmpty)
        #expect(link.send("while away") == .notConnected)
        #expect(!link.answer("secret123"))
        let (second, secondSink) = AsyncStream.makeStream(of: String.self)
        link.attach(secondSink)
        // A reconnect asks for the password again: nothing held goes out as its answer.
        #expect(link.answer("secret123"))
        link.markJoined(first: nil)
        link.detach()
        #expect(await self.collect(second) == ["secret123", "typed early"])
    }
}
