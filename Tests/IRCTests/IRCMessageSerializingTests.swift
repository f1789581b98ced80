import Testing

@testable import ChatTransportIRC

/// Writing messages as lines: trailing parameters when needed, tags escaped, and never a second line.
struct IRCMessageSerializingTests {
    @Test func theLastParameterIsTrailingOnlyWhenItMustBe() {
        #expect(IRCMessage(command: "PING", parameters: ["token"]).line == "PING token")
        #expect(
            IRCMessage(source: "alice!a@host", command: "PRIVMSG", parameters: ["#main", "hello there"]).line
                == ":alice!a@host PRIVMSG #main :hello there"
        )
        #expect(IRCMessage(command: "TOPIC", parameters: ["#main", ""]).line == "TOPIC #main :")
        #expect(IRCMessage(command: "PRIVMSG", parameters: ["#main", ":)"]).line == "PRIVMSG #main ::)")
    }

    @Test func tagValuesAreEscaped() {
        let message = IRCMessage(
            tags: [
                IRCMessage.Tag("time", "2026-12-05T12:00:00.000Z"), IRCMessage.Tag("x", "a;b c\\d\r\n"),
                IRCMessage.Tag("flag"),
            ],
            command: "PRIVMSG",
            parameters: ["#a", "hi"]
        )
        #expect(message.line == #"@time=2026-12-05T12:00:00.000Z;x=a\:b\sc\\d\r\n;flag PRIVMSG #a hi"#)
    }

    @Test func noParameterCanStartASecondLine() throws {
        let message = IRCMessage(source: "evil\r\nQUIT", command: "PRIVMSG", parameters: ["#a", "one\r\nKILL x", "x"])
        #expect(!message.line.contains("\r") && !message.line.contains("\n"))
        // A middle parameter IRC cannot carry becomes a placeholder instead of shifting the others.
        #expect(IRCMessage(command: "X", parameters: ["a b", "c"]).line == "X * c")
        #expect(IRCMessage(command: "X", parameters: ["", "c"]).line == "X * c")
    }

    @Test func whatIsParsedIsWrittenBackTheSame() throws {
        for line in [
            "@a=b\\:c;d :nick!u@h PRIVMSG #main :hello : there",
            "JOIN #a,#b",
            ":srv 353 alice = #main :alice bob",
            "CAP REQ :server-time message-tags",
        ] {
            let message = try IRCMessage(parsing: line)
            #expect(try IRCMessage(parsing: message.line) == message, "\(line)")
        }
    }

    /// A space followed by a combining mark is one `Character`: written without the trailing `:` (as a
    /// Character-wise `contains(" ")` once did), the text after the space came back as another parameter.
    @Test func aSpaceBeforeACombiningMarkStillMakesTheParameterTrailing() throws {
        let text = "hi \u{0316}there"
        let message = IRCMessage(command: "PRIVMSG", parameters: ["#a", text])
        #expect(message.line == "PRIVMSG #a :" + text)
        #expect(try IRCMessage(parsing: message.line).parameters == ["#a", text])
        // The fuzzer's find: bytes that are not UTF-8, then a space and a combining mark.
        let found = try IRCMessage(parsing: [0x4E, 0x20, 0x3A, 0xB5, 0xF3, 0x20, 0xCC, 0x96, 0x71, 0x75, 0x65])
        #expect(try IRCMessage(parsing: found.line) == found)
        #expect(IRCMessage(command: "X", parameters: [":\u{0316}", "c"]).line == "X * c")
    }
}
