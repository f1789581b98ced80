import ChatTransportIRC
import Testing

/// The welcome burst: what irctest's registration and ISUPPORT checks, and what tells IRC users how to reach our
/// commands.
struct IRCWelcomeTests {
    @Test func numericsOneToFiveThenTheMOTD() {
        let lines = IRCWelcome(created: "Sat Dec 5 2026").lines(for: "alice").map(\.line)
        #expect(lines[0] == ":slashchat 001 alice :Welcome to slashchat, alice")
        #expect(lines[1] == ":slashchat 002 alice :Your host is slashchat, running version slashchat-1")
        #expect(lines[2] == ":slashchat 003 alice :This server was created Sat Dec 5 2026")
        #expect(lines[3] == ":slashchat 004 alice slashchat slashchat-1 i bnt")
        #expect(
            lines[4].hasPrefix(":slashchat 005 alice CASEMAPPING=ascii CHANTYPES=# NICKLEN=32 CHANNELLEN=33 PREFIX=")
        )
        #expect(lines[4].contains("NETWORK=slashchat") && lines[4].hasSuffix(":are supported by this server"))
        #expect(lines[5] == ":slashchat 375 alice :- slashchat Message of the day -")
        #expect(lines.contains { $0.contains("#main") } && lines.contains { $0.contains("//help") })
        #expect(lines.last == ":slashchat 376 alice :End of /MOTD command.")
    }
}
