import ChatTesting
import Foundation
import Testing

/// Debian's weechat-headless against the IRC door: scripted with `-r` to connect and join `#main`, then typing into
/// the `#main` buffer through its FIFO, reading what it shows from its log. Skipped where weechat-headless is
/// missing (`apt-get install weechat-headless`), unless `SLASHCHAT_REQUIRE_IRC_CLIENTS=1`, which `.ci/run` sets.
@Suite(
    .enabled(
        if: RealIRCClients.weechat != nil || RealIRCClients.required,
        "weechat-headless is not installed (apt-get install weechat-headless)"
    )
)
struct WeeChatTests {
    @Test func aWeeChatUserChatsWithAnNcUserAndRunsACommand() async throws {
        let weechat = try #require(RealIRCClients.weechat, "weechat-headless is not installed")
        try await IRCTestServer.with { server, port in
            try await TemporaryDirectory.withDirectory { home in
                let plain = try await server.join("plainy")
                let setUp = [
                    "/set logger.file.flush_delay 0", "/set fifo.file.enabled on",
                    "/set fifo.file.path \(home.path)/fifo",
                    "/server add slash 127.0.0.1/\(port) -notls -nicks=weechy -autojoin=#main", "/connect slash",
                ]
                // Only the plugins the test uses: loading every scripting language weechat has costs seconds of CPU.
                let arguments = ["--dir", home.path, "-P", "irc,logger,fifo", "-r", setUp.joined(separator: ";")]
                try await RealClientProcess.with(weechat, arguments) { _ in
                    try await plain.expectLine(containing: "* weechy joined #main")
                    let log = "\(home.path)/logs/irc.slash.#main.weechatlog"
                    try await waitForText(in: log, "the #main buffer") { _ in true }

                    try Self.type("hello from weechat :tada:", into: "\(home.path)/fifo")
                    try await plain.expectLine(containing: "<weechy> hello from weechat 🎉")
                    // `//cowsay moo` in a channel buffer sends `/cowsay moo`: slashchat's command, run in #main.
                    try Self.type("//cowsay moo", into: "\(home.path)/fifo")
                    try await plain.expectLine(containing: "* weechy ran /cowsay moo")
                    try await plain.expectLine(containing: "< moo >")

                    try await plain.send("hi weechat")
                    try await waitForText(in: log, "plainy's line") { $0.contains("plainy\thi weechat") }
                    try await waitForText(in: log, "the cow") { $0.contains("< moo >") }
                }
            }
        }
    }

    /// Types `text` into weechat's `#main` buffer of the server `slash`, as if at its input line.
    private static func type(_ text: String, into fifo: String) throws {
        guard let handle = FileHandle(forWritingAtPath: fifo) else {
            throw ExpectationFailure("weechat's FIFO \(fifo) is not there")
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("irc.slash.#main *\(text)\n".utf8))
    }
}
