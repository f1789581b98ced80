import ChatCore
import ChatProtocol
import ChatTesting
import ChatTransportIRC
import Testing

/// The IRC door over real TCP beside the plain port: registration, channels as rooms, messages and commands both
/// ways, and IRC's answers to bad input.
@Suite struct IRCDoorTests {
    private static func withIRCServer(_ body: (TestServer, Int) async throws -> Void) async throws {
        try await IRCTestServer.with(body)
    }

    /// Connects and registers as `nickname`, up to the end of the MOTD.
    private static func register(_ nickname: String, port: Int, capabilities: String? = nil) async throws -> LineClient
    {
        let client = try await LineClient.connect(port: port, name: nickname)
        if let capabilities {
            try await client.send("CAP LS 302")
            try await client.send("CAP REQ :\(capabilities)")
            try await client.send("CAP END")
        }
        try await client.send("NICK \(nickname)")
        try await client.send("USER \(nickname) 0 * :\(nickname) tester")
        try await client.expectLine(containing: " 001 \(nickname) :Welcome to slashchat, \(nickname)")
        try await client.expectLine(containing: "CASEMAPPING=ascii")
        try await client.expectLine(containing: " 376 \(nickname) ")
        return client
    }

    @Test func anIRCUserAndAnNcUserChatInMainBothWays() async throws {
        try await Self.withIRCServer { server, port in
            let plain = try await server.join("plainy")
            let irc = try await Self.register("ircy", port: port)
            try await irc.send("JOIN #main")
            try await irc.expectLine(containing: ":ircy!ircy@slashchat JOIN #main")
            let names = try await irc.expectLine(containing: " 353 ircy = #main :")
            #expect(names.contains("plainy") && names.contains("ircy"))
            try await irc.expectLine(containing: " 366 ircy #main ")
            try await plain.expectLine(containing: "* ircy joined #main")

            try await plain.send("hello :tada:")
            try await irc.expectLine(containing: ":plainy!plainy@slashchat PRIVMSG #main :hello 🎉")
            try await irc.send("PRIVMSG #main :hi \u{03}04there\u{03}")
            try await plain.expectLine(containing: "<ircy> hi there")
            try await irc.send("PRIVMSG #main :\u{01}ACTION waves\u{01}")
            try await plain.expectLine(containing: "* ircy waves")

            // A slashchat command from the channel: the block reaches everyone, as NOTICEs to the channel on IRC.
            try await irc.send("PRIVMSG #main :/cowsay moo")
            try await plain.expectLine(containing: "* ircy ran /cowsay moo")
            try await irc.expectLine(containing: "NOTICE #main :ircy ran /cowsay moo")
            try await irc.expectLine(containing: "NOTICE #main :< moo >")
            // ... and sent as a verb, the way irssi sends an unknown /cowsay.
            try await irc.send("COWSAY again")
            try await plain.expectLine(containing: "* ircy ran /cowsay again")

            try await irc.send("PRIVMSG plainy :psst")
            try await plain.expectLine(containing: "[PM from ircy] psst")
            try await plain.send("/msg ircy back")
            try await irc.expectLine(containing: ":plainy!plainy@slashchat PRIVMSG ircy back")

            try await irc.send("NICK ircz")
            try await irc.expectLine(containing: ":ircy!ircy@slashchat NICK ircz")
            try await plain.expectLine(containing: "* ircy is now known as ircz")
            try await irc.send("QUIT :see you")
            try await irc.expectLine(containing: "ERROR :")
            try await plain.expectLine(containing: "* ircz left #main (see you)")
            await plain.close()
            await irc.close()
        }
    }

    @Test func nicknamesAreUniqueAcrossDoorsAndBadInputGetsIRCsAnswers() async throws {
        try await Self.withIRCServer { server, port in
            let plain = try await server.join("taken")
            let irc = try await LineClient.connect(port: port, name: "irc")
            try await irc.send("JOIN #main")
            try await irc.expectLine(containing: " 451 * :You have not registered")
            try await irc.send("NICK taken")
            try await irc.send("USER u 0 * :real")
            try await irc.expectLine(containing: " 433 * taken :Nickname is already in use")
            try await irc.send("NICK bad!name")
            try await irc.expectLine(containing: " bad!name :Erroneous nickname")
            try await irc.send("NICK fine")
            try await irc.expectLine(containing: " 001 fine ")
            try await irc.expectLine(containing: " 376 fine ")
            try await irc.send("PRIVMSG #main :" + String(repeating: "x", count: 600))
            try await irc.expectLine(containing: " 417 fine ")
            try await irc.send("FROBNICATE")
            try await irc.expectLine(containing: " 421 fine FROBNICATE ")
            try await irc.send("JOIN")
            try await irc.expectLine(containing: " 461 fine JOIN ")
            try await irc.send("PRIVMSG #elsewhere :hello")
            try await irc.expectLine(containing: " 404 fine #elsewhere ")
            try await irc.send("PING :token")
            try await irc.expectLine(containing: "PONG slashchat token")
            try await irc.send("WHOIS taken")
            try await irc.expectLine(containing: " 311 fine taken ")
            try await irc.expectLine(containing: " 318 fine taken ")
            await plain.close()
            await irc.close()
        }
    }

    @Test func echoMessageAndServerTimeComeOnlyWhenAskedFor() async throws {
        try await Self.withIRCServer { _, port in
            let irc = try await Self.register("echo", port: port, capabilities: "echo-message server-time")
            try await irc.send("JOIN #main")
            try await irc.expectLine(containing: " 366 echo #main ")
            try await irc.send("PRIVMSG #main :mine")
            let echoed = try await irc.expectLine(containing: ":echo!echo@slashchat PRIVMSG #main mine")
            #expect(echoed.hasPrefix("@time=20"), "\(echoed)")
            await irc.close()
        }
    }

    /// Fan-out renders a burst once per set of capabilities and shares it, so each client must still see it its own
    /// way: its own line only with echo-message, `time` tags only with server-time, everyone else's lines in full.
    @Test func aBurstFromSeveralSendersReachesEachClientItsOwnWay() async throws {
        try await Self.withIRCServer { server, port in
            let plain = try await server.join("plainy")
            let bare = try await Self.register("bare", port: port)
            let timed = try await Self.register("timed", port: port, capabilities: "server-time")
            let echoer = try await Self.register("echoer", port: port, capabilities: "echo-message")
            for (client, nickname) in [(bare, "bare"), (timed, "timed"), (echoer, "echoer")] {
                try await client.send("JOIN #main")
                try await client.expectLine(containing: " 366 \(nickname) #main ")
            }
            _ = await (bare.drain(), timed.drain(), echoer.drain())
            for index in 1...10 { try await plain.send("line \(index)") }
            try await bare.send("PRIVMSG #main :from bare")
            try await echoer.send("PRIVMSG #main :from echoer")

            let plainLines = (1...10).map { ":plainy!plainy@slashchat PRIVMSG #main :line \($0)" }
            func messages(_ client: LineClient, count: Int) async throws -> [String] {
                var lines: [String] = []
                while lines.count < count {
                    lines.append(try await client.expectLine(containing: " PRIVMSG #main :"))
                }
                // IRC's lines end in CRLF; the client splits at the LF.
                let all = lines + (await client.drain()).filter { $0.contains(" PRIVMSG ") }
                return all.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
            }
            let bareSaw = try await messages(bare, count: 11)
            #expect(bareSaw.filter { $0.hasPrefix(":plainy") } == plainLines)
            #expect(bareSaw.contains(":echoer!echoer@slashchat PRIVMSG #main :from echoer"))
            #expect(!bareSaw.contains { $0.contains("from bare") }, "\(bareSaw)")
            #expect(bareSaw.allSatisfy { !$0.hasPrefix("@") }, "\(bareSaw)")

            let timedSaw = try await messages(timed, count: 12)
            #expect(timedSaw.count == 12, "\(timedSaw)")
            #expect(timedSaw.allSatisfy { $0.hasPrefix("@time=20") }, "\(timedSaw)")
            #expect(timedSaw.contains { $0.hasSuffix(" :plainy!plainy@slashchat PRIVMSG #main :line 10") })

            let echoerSaw = try await messages(echoer, count: 12)
            #expect(echoerSaw.filter { $0.hasPrefix(":plainy") } == plainLines)
            #expect(echoerSaw.contains(":echoer!echoer@slashchat PRIVMSG #main :from echoer"))
            #expect(echoerSaw.contains(":bare!bare@slashchat PRIVMSG #main :from bare"))
            for client in [plain, bare, timed, echoer] { await client.close() }
        }
    }

    @Test func topicsAreSharedWithEveryDoorAndToldOnJoin() async throws {
        try await Self.withIRCServer { server, port in
            let plain = try await server.join("plainy")
            let irc = try await Self.register("ircy", port: port)
            try await irc.send("TOPIC #main")
            try await irc.expectLine(containing: " 331 ircy #main :No topic is set")
            try await irc.send("TOPIC #main :from irc")
            try await irc.expectLine(containing: " 442 ircy #main ")
            try await plain.send("/topic standup at \u{03}04nine")
            try await plain.expectLine(containing: "* plainy set the topic of #main: standup at 04nine")

            // JOIN: the echo, then the topic (332, 333) before the names.
            try await irc.send("JOIN #main")
            try await irc.expectLine(containing: ":ircy!ircy@slashchat JOIN #main")
            let topic = try await irc.nextLine()
            #expect(topic.contains(" 332 ircy #main :standup at 04nine"), "\(topic)")
            let setter = try await irc.nextLine()
            #expect(setter.contains(" 333 ircy #main plainy "), "\(setter)")
            try await irc.expectLine(containing: " 366 ircy #main ")

            // Set from IRC (colour codes stripped): every door hears it; empty clears it.
            try await irc.send("TOPIC #main :\u{02}retro\u{02} at ten")
            try await irc.expectLine(containing: ":ircy!ircy@slashchat TOPIC #main :retro at ten")
            try await plain.expectLine(containing: "* ircy set the topic of #main: retro at ten")
            try await irc.send("TOPIC #main")
            try await irc.expectLine(containing: " 332 ircy #main :retro at ten")
            try await irc.send("TOPIC #main :")
            try await irc.expectLine(containing: ":ircy!ircy@slashchat TOPIC #main :")
            try await plain.expectLine(containing: "* ircy cleared the topic of #main")
            try await irc.send("TOPIC #nowhere :x")
            try await irc.expectLine(containing: " 403 ircy #nowhere ")
            await plain.close()
            await irc.close()
        }
    }

    @Test func whoeverCreatesARoomIsItsOperatorAndMayLockItsTopic() async throws {
        try await Self.withIRCServer { server, port in
            let founder = try await Self.register("founder", port: port)
            try await founder.send("JOIN #ops")
            try await founder.expectLine(containing: " 353 founder = #ops @founder")
            let guest = try await Self.register("guest", port: port, capabilities: "multi-prefix")
            try await guest.send("JOIN #ops")
            let names = try await guest.expectLine(containing: " 353 guest = #ops :")
            #expect(names.contains(" :@founder guest"), "\(names)")
            let plain = try await server.join("plainy")
            try await plain.send("/join #ops")
            // In the room before the mode changes: on a busy machine the founder's MODE could come first.
            try await plain.expectLine(containing: "* plainy joined #ops")

            try await guest.send("MODE #ops +t")
            try await guest.expectLine(containing: " 482 guest #ops ")
            try await founder.send("MODE #ops +t")
            try await guest.expectLine(containing: ":founder!founder@slashchat MODE #ops +t")
            try await plain.expectLine(containing: "* founder locked the topic of #ops (only operators set it)")
            try await guest.send("TOPIC #ops :mine now")
            try await guest.expectLine(containing: " 482 guest #ops ")
            try await plain.send("/topic mine now")
            try await plain.expectLine(containing: "! The topic of #ops is locked: only its operators set it.")
            try await founder.send("MODE #ops")
            try await founder.expectLine(containing: " 324 founder #ops +nt")

            try await founder.send("MODE #ops +ov GUEST nobody")
            try await guest.expectLine(containing: ":founder!founder@slashchat MODE #ops +o guest")
            try await plain.expectLine(containing: "* founder made guest an operator of #ops")
            try await founder.expectLine(containing: " 441 founder nobody #ops ")
            try await guest.send("TOPIC #ops :mine now")
            try await plain.expectLine(containing: "* guest set the topic of #ops: mine now")
            try await guest.send("WHO #ops")
            try await guest.expectLine(containing: " 352 guest #ops founder slashchat ")
            let who = try await guest.expectLine(containing: " 352 guest #ops guest slashchat ")
            #expect(who.contains(" guest H@ :0 "), "\(who)")
            try await guest.send("MODE #ops +b")
            try await guest.expectLine(containing: " 368 guest #ops ")
            await plain.close()
            await guest.close()
            await founder.close()
        }
    }
}
