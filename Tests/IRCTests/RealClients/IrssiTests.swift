import ChatTesting
import Testing

/// Debian's irssi against the IRC door, in tmux: it connects, joins `#main`, chats with an `nc` user, and runs
/// slashchat's commands the ways irssi users type them. Skipped where irssi or tmux is missing
/// (`apt-get install irssi tmux`), unless `SLASHCHAT_REQUIRE_IRC_CLIENTS=1`, which `.ci/run` sets.
@Suite(
    .enabled(
        if: (RealIRCClients.irssi != nil && TmuxSession.executable != nil) || RealIRCClients.required,
        "irssi or tmux is not installed (apt-get install irssi tmux)"
    )
)
struct IrssiTests {
    @Test func anIrssiUserChatsWithAnNcUserAndRunsCommands() async throws {
        let irssi = try #require(RealIRCClients.irssi, "irssi is not installed")
        try await IRCTestServer.with { server, port in
            try await TemporaryDirectory.withDirectory { home in
                let plain = try await server.join("plainy")
                let command = [irssi, "--home=\(home.path)/irssi", "-c", "127.0.0.1", "-p", "\(port)", "-n", "irssy"]
                try await TmuxSession.with(in: home.path, running: command) { irssi in
                    try await irssi.waitForScreen(containing: "Welcome to slashchat, irssy")
                    try await irssi.type("/join #main")
                    try await plain.expectLine(containing: "* irssy joined #main")

                    try await irssi.type("hello from irssi :tada:")
                    try await plain.expectLine(containing: "<irssy> hello from irssi 🎉")
                    // irssi keeps unknown commands to itself: `/say /cowsay moo` sends the line `/cowsay moo` to the
                    // channel (slashchat's command, run in #main), and `/quote COWSAY again` the verb.
                    try await irssi.type("/say /cowsay moo")
                    try await plain.expectLine(containing: "* irssy ran /cowsay moo")
                    try await plain.expectLine(containing: "< moo >")
                    try await irssi.type("/quote COWSAY again")
                    try await plain.expectLine(containing: "* irssy ran /cowsay again")
                    try await plain.send("hi irssi")
                    try await irssi.waitForScreen(containing: "hi irssi")
                    try await irssi.waitForScreen(containing: "< moo >")
                }
            }
        }
    }
}
