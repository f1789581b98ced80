import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The web page in a real browser (headless Chromium, driven by `Scripts/browser_scenarios.py`) against the real
/// `server` with `--web-port`: people chatting from two browsers and `nc`, emoji suggestions, blocks, markup that
/// stays text, the Origin rule, reconnecting after a restart, and the password question. Screenshots land in
/// `.build/browser-artifacts` (or `$SLASHCHAT_ARTIFACTS/browser`).
///
/// One scenario at a time: each starts one or two Chromiums, which is all a two-core machine running the rest of the
/// suite can take.
@Suite(
    .serialized,
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(if: BrowserTools.missingReason == nil, Comment(rawValue: BrowserTools.missingReason ?? ""))
)
struct WebBrowserTests {
    @Test func twoBrowsersAndATerminalUserChatInMainAndSeeEachOther() async throws {
        try await Self.expectPass("chat")
    }

    @Test func typingColonTaSuggestsTadaFirstAndPickingItInsertsTheEmoji() async throws {
        try await Self.expectPass("emoji")
    }

    @Test func aCowsayBlockKeepsItsColumnsInAMonospaceBox() async throws {
        try await Self.expectPass("cowsay")
    }

    @Test func markupInAMessageShowsAsTextAndRunsNothing() async throws {
        try await Self.expectPass("xss")
    }

    @Test func aWebSocketUpgradeFromAnotherOriginIsRefused() async throws {
        try await Self.expectPass("origin")
    }

    @Test func aRegisteredNicknameIsAskedForItsPasswordInAPasswordField() async throws {
        try await Self.expectPass("password")
    }

    @Test func aTakenNicknameBringsTheFormBackAndQuitLeavesWithoutReconnecting() async throws {
        try await Self.expectPass("nickname")
    }

    @Test func thePageReconnectsAfterARestartToTheSameRoomUnderTheSameNickname() async throws {
        try await Self.expectPassAcrossARestart("reconnect")
    }

    @Test func aPasswordIsAskedForAgainAfterAReconnectNeverKept() async throws {
        try await Self.expectPassAcrossARestart("reconnect-registered")
    }

    /// Runs `scenario` against a server on two fixed ports, restarting it (gracefully, on the same ports and data)
    /// when the script asks: it creates `restart-request`, and waits for `restart-done`.
    private static func expectPassAcrossARestart(_ scenario: String) async throws {
        try await TemporaryDirectory.withDirectory { directory in
            // Both ports fixed, so the second server is where the page left the first.
            let tcpPort = try await TestServer.freePort()
            var webPort = try await TestServer.freePort()
            for _ in 0..<20 where webPort == tcpPort {
                webPort = try await TestServer.freePort()
            }
            let arguments = ["--web-port", "\(webPort)"]
            var server = try await ServerProcess.start(
                dataDirectory: directory.path,
                port: tcpPort,
                arguments: arguments
            )
            defer { server.kill() }
            let browser = BrowserScenario(name: scenario, webPort: webPort, tcpPort: tcpPort, directory: directory.path)
            var restarted = false
            let outcome = try await browser.run {
                guard !restarted, FileManager.default.fileExists(atPath: directory.file("restart-request")) else {
                    return
                }
                restarted = true
                _ = kill(server.process.processIdentifier, SIGTERM)
                let status = try await server.waitForExit()
                #expect(status == 0, "the first server stopped: \(String(describing: status))")
                server = try await ServerProcess.start(
                    dataDirectory: directory.path,
                    port: tcpPort,
                    arguments: arguments
                )
                _ = FileManager.default.createFile(
                    atPath: directory.file("restart-done"),
                    contents: Data("done\n".utf8)
                )
            }
            #expect(restarted, "the script never asked for the restart\n\(outcome.output)")
            #expect(outcome.passed, "\(outcome.output)")
        }
    }

    /// Runs `scenario` against a fresh server with a web port; fails with the script's output (naming the scenario
    /// and what it waited for) unless it passed.
    private static func expectPass(_ scenario: String) async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let server = try await ServerProcess.start(dataDirectory: directory.path, arguments: ["--web-port", "0"])
            defer { server.kill() }
            let webPort = try #require(server.webPort, "no `(web)` line: \(server.standardOutput)")
            let outcome = try await BrowserScenario(
                name: scenario,
                webPort: webPort,
                tcpPort: server.port,
                directory: directory.path
            ).run()
            #expect(outcome.passed, "\(outcome.output)")
        }
    }
}
