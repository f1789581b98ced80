import Testing

@testable import ChatTransportIRC

/// Reading lines into messages, with the cases the IRCv3 parser test vectors (ircdocs' msg-split) cover.
struct IRCMessageParsingTests {
    private func parse(_ line: String) throws -> IRCMessage {
        try IRCMessage(parsing: line)
    }

    @Test func aBareCommand() throws {
        #expect(try self.parse("foo") == IRCMessage(command: "FOO"))
        #expect(try self.parse("PING") == IRCMessage(command: "PING"))
    }

    @Test func middleAndTrailingParameters() throws {
        #expect(
            try self.parse("foo bar baz asdf")
                == IRCMessage(command: "FOO", parameters: ["bar", "baz", "asdf"])
        )
        #expect(
            try self.parse(":coolguy foo bar baz :asdf quux")
                == IRCMessage(source: "coolguy", command: "FOO", parameters: ["bar", "baz", "asdf quux"])
        )
        #expect(try self.parse("foo bar baz :") == IRCMessage(command: "FOO", parameters: ["bar", "baz", ""]))
        #expect(
            try self.parse("foo bar baz ::asdf") == IRCMessage(command: "FOO", parameters: ["bar", "baz", ":asdf"])
        )
        #expect(
            try self.parse(":coolguy foo bar baz :  asdf quux ")
                == IRCMessage(source: "coolguy", command: "FOO", parameters: ["bar", "baz", "  asdf quux "])
        )
        #expect(
            try self.parse(":coolguy PRIVMSG bar :lol :) ")
                == IRCMessage(source: "coolguy", command: "PRIVMSG", parameters: ["bar", "lol :) "])
        )
    }

    @Test func severalSpacesSeparateParametersLikeOne() throws {
        #expect(
            try self.parse(":src   JOIN   #chan ") == IRCMessage(source: "src", command: "JOIN", parameters: ["#chan"])
        )
        #expect(try self.parse("  NICK   alice") == IRCMessage(command: "NICK", parameters: ["alice"]))
    }

    @Test func aFifteenthParameterIsTheRestOfTheLine() throws {
        let line = "CMD " + (1...14).map(String.init).joined(separator: " ") + " fifteen and more"
        let message = try self.parse(line)
        #expect(message.parameters.count == 15)
        #expect(message.parameters.last == "fifteen and more")
    }

    @Test func tagsWithEscapedValues() throws {
        #expect(
            try self.parse("@a=b;c=32;k;rt=ql7 foo").tags == [
                IRCMessage.Tag("a", "b"), IRCMessage.Tag("c", "32"), IRCMessage.Tag("k"), IRCMessage.Tag("rt", "ql7"),
            ]
        )
        #expect(
            try self.parse(#"@a=b\\and\nk;c=72\s45;d=gh\:764 foo"#).tags == [
                IRCMessage.Tag("a", "b\\and\nk"), IRCMessage.Tag("c", "72 45"), IRCMessage.Tag("d", "gh;764"),
            ]
        )
        // An unknown escape is the character itself; a lone backslash at the end is dropped; empty is no value.
        #expect(try self.parse(#"@tag=\b\ foo"#).tags == [IRCMessage.Tag("tag", "b")])
        #expect(try self.parse("@tag= foo").tags == [IRCMessage.Tag("tag")])
        // A key given twice keeps its last value.
        #expect(try self.parse("@k=1;k=2 foo").tags == [IRCMessage.Tag("k", "2")])
        let full = try self.parse("@time=2026-12-05T12:00:00.000Z :nick!user@host PRIVMSG #main :hi there")
        #expect(full.source == "nick!user@host" && full.parameters == ["#main", "hi there"])
    }

    @Test func numericsAndCaseOfVerbs() throws {
        #expect(try self.parse(":irc.example 001 alice :Welcome").command == "001")
        #expect(try self.parse("privmsg #a :x").command == "PRIVMSG")
    }

    @Test func badLinesSayWhy() {
        #expect(throws: IRCMessage.ParseError.empty) { try self.parse("   ") }
        #expect(throws: IRCMessage.ParseError.missingCommand) { try self.parse(":source") }
        #expect(throws: IRCMessage.ParseError.missingCommand) { try self.parse("@a=b ") }
        #expect(throws: IRCMessage.ParseError.invalidCommand("PRIV-MSG")) { try self.parse("PRIV-MSG x") }
        #expect(throws: IRCMessage.ParseError.invalidCommand("0001")) { try self.parse("0001 x") }
        #expect(throws: IRCMessage.ParseError.forbiddenCharacter) { try self.parse("PRIVMSG #a :x\0y") }
        #expect(throws: IRCMessage.ParseError.forbiddenCharacter) { try self.parse("PRIVMSG #a :x\ry") }
    }

    @Test func theBodyIsCappedAtFiveHundredTenBytesTagsApart() throws {
        let body = "PRIVMSG #a :" + String(repeating: "x", count: 510 - 12)
        #expect(try self.parse(body).parameters[1].count == 498)
        #expect(throws: IRCMessage.ParseError.bodyTooLong) { try self.parse(body + "x") }
        // Tags do not count toward the 510 bytes, but have a cap of their own.
        let tags = "@" + String(repeating: "k", count: 4000) + " "
        #expect(try self.parse(tags + body).command == "PRIVMSG")
        #expect(throws: IRCMessage.ParseError.tagsTooLong) {
            try self.parse("@" + String(repeating: "k", count: 4095) + " PING")
        }
    }

    @Test func bytesThatAreNotUTF8AreReadWithReplacements() throws {
        var bytes = Array("PRIVMSG #a :caf".utf8)
        bytes += [0xE9, 0x21]
        #expect(try IRCMessage(parsing: bytes).parameters[1] == "caf\u{FFFD}!")
    }
}
