import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// The fun commands over TCP: cows, trains, eyes, slaps, the fun toggle, `/doctor`, `/help`, and the PATH tools.
@Suite struct FunCommandsTests {
    static let quiet = Duration.milliseconds(300)

    /// A cowsay line as typed, the arguments its block header shows, and the text the cow says.
    struct CowsayCase: Sendable, CustomTestStringConvertible {
        let typed: String
        let shownArguments: String
        let text: String
        var eyes = "oo"

        var testDescription: String { self.typed }
    }

    @Test(
        arguments: [
            CowsayCase(typed: "/cowsay Hello", shownArguments: "Hello", text: "Hello"),
            CowsayCase(typed: "/cowsay?Hello World/", shownArguments: "Hello World", text: "Hello World"),
            CowsayCase(typed: "/cowsay -e ^^ Hi there", shownArguments: "-e ^^ Hi there", text: "Hi there", eyes: "^^"),
        ]
    )
    func showsTheBuiltInCowToTheSenderAndTheRoom(_ cowsay: CowsayCase) async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            try await clients[0].send(cowsay.typed)
            let cow = CowsayRenderer.render(cowsay.text, eyes: cowsay.eyes)
            for client in clients {
                let body = try await client.expectBlock(
                    header: "alice ran /cowsay \(cowsay.shownArguments)",
                    bodyLines: cow.count
                )
                #expect(body == cow, "\(client.name)")
            }
            try await clients[0].expectNoLine(within: Self.quiet)
        }
    }

    @Test(.enabled(if: FunSetup.isInstalled("cowsay")))
    func usesTheRealCowsayWhenItIsInstalled() async throws {
        let tools = await FunSetup.installedTools()
        let cowsay = try #require(tools.path(of: "cowsay"))
        try await FunSetup(tools: tools).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/cowsay Hello")
            let expected = try await ToolOutput.lines(of: cowsay, ["Hello"])
            for client in clients {
                let body = try await client.expectBlock(header: "alice ran /cowsay Hello")
                #expect(body.contains("< Hello >"), "\(client.name) got \(body)")
                #expect(body == expected, "\(client.name)")
            }
            if tools.cows.contains("tux") {
                try await clients[0].send("/cowsay -f tux Hi")
                let tux = try await clients[1].expectBlock(header: "alice ran /cowsay -f tux Hi")
                #expect(tux == (try await ToolOutput.lines(of: cowsay, ["-f", "tux", "--", "Hi"])))
            }
        }
    }

    @Test func drawsAThoughtBubbleWithCowthink() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/cowthink Hmm")
            let cow = CowsayRenderer.render("Hmm", style: .think)
            #expect(cow.contains("( Hmm )"))
            for client in clients {
                #expect(try await client.expectBlock(header: "alice ran /cowthink Hmm", bodyLines: cow.count) == cow)
            }
        }
    }

    @Test(.enabled(if: FunSetup.isInstalled("cowthink")))
    func usesTheRealCowthinkWhenItIsInstalled() async throws {
        try await FunSetup(tools: await FunSetup.installedTools()).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/cowthink Hmm")
            let body = try await clients[1].expectBlock(header: "alice ran /cowthink Hmm")
            #expect(body.contains("( Hmm )"), "got \(body)")
            #expect(body.contains { $0.contains("o   ^__^") }, "got \(body)")
        }
    }

    /// The real cowsay evaluates a `-f` file as Perl and prints its contents in the error, so a path must never
    /// reach it (nor the built-in renderer, which has no files at all).
    @Test(arguments: [false, true])
    func refusesAnUnknownCowOrAPathWithoutReadingIt(realTools: Bool) async throws {
        let tools = realTools ? await FunSetup.installedTools() : ExternalTools()
        try await FunSetup(tools: tools).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            var received: [String] = []
            for typed in [
                "/cowsay -f nosuchcow Hello", "/cowsay -f /etc/passwd Hello", "/cowthink -f ../../../etc/passwd Hmm",
                "/cowsay?-f /etc/passwd moo/",
            ] {
                try await alice.send(typed)
                let error = try await alice.nextLine()
                #expect(error.hasPrefix("! "), "\(typed)")
                #expect(error.contains("no cow called"), "\(typed)")
                received.append(error)
            }
            // Without text, -f asks for the cow list; a path still never reaches a file.
            try await alice.send("/cowsay -f /etc/passwd")
            let listing = try await alice.nextLine()
            #expect(listing.hasPrefix("* Cows: "))
            received += [listing] + (await alice.drain(quietFor: Self.quiet)) + (await bob.drain(quietFor: .zero))
            #expect(!received.contains { $0.contains("root:") || $0.contains("/bin/") || $0.contains("nologin") })
            try await bob.expectNoLine(within: Self.quiet)
        }
    }

    @Test(arguments: ["/train", "/train/", "/sl"])
    func drawsATrainForTheRoom(_ typed: String) async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send(typed)
            let train = TrainArt.lines()
            for client in clients {
                #expect(try await client.expectBlock(header: "alice ran /train", bodyLines: train.count) == train)
            }
        }
    }

    @Test(
        arguments: [
            ("-l", TrainArt.Options(little: true)),
            ("-a", TrainArt.Options(accident: true)),
            ("-la", TrainArt.Options(little: true, accident: true)),
            ("-l -a", TrainArt.Options(little: true, accident: true)),
        ]
    )
    func drawsALittleTrainOrAnAccident(flags: String, options: TrainArt.Options) async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/train \(flags)")
            let train = TrainArt.lines(options)
            #expect(
                try await clients[1].expectBlock(header: "alice ran /train \(flags)", bodyLines: train.count) == train
            )
        }
    }

    @Test func refusesAnUnknownTrainOption() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/train -x")
            #expect(try await clients[0].nextLine().hasPrefix("! Usage: /train"))
            try await clients[1].expectNoLine(within: Self.quiet)
        }
    }

    @Test func coolsDownTheRoomAfterATrain() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.send("/train")
            let train = TrainArt.lines()
            _ = try await alice.expectBlock(header: "alice ran /train", bodyLines: train.count)
            _ = try await bob.expectBlock(header: "alice ran /train", bodyLines: train.count)

            // The cooldown is the room's: it holds for everyone in it, in either form.
            for (client, typed) in [(bob, "/train"), (alice, "/train/"), (alice, "/train -l")] {
                try await client.send(typed)
                let error = try await client.nextLine()
                // It says what is cooling down and who caused it, not that the command typed was run.
                #expect(
                    error.hasPrefix("! #main just had a big block (/train by alice); /train can run in "),
                    "\(typed): \(error)"
                )
            }
            try await alice.expectNoLine(within: Self.quiet)
            try await bob.expectNoLine(within: .zero)
        }
    }

    @Test(.enabled(if: FunSetup.isInstalled("figlet")))
    func namesTheBigBlockThatCoolsTheRoomWhenAnotherIsRefused() async throws {
        let tools = await FunSetup.installedTools()
        try await FunSetup(tools: tools).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await bob.send("/train")
            _ = try await alice.expectBlock(header: "bob ran /train", bodyLines: TrainArt.lines().count)
            try await alice.send("/figlet hi")
            let error = try await alice.nextLine()
            #expect(error.hasPrefix("! #main just had a big block (/train by bob); /figlet can run in "), "\(error)")
            #expect(error.hasSuffix("s."), "\(error)")
        }
    }

    @Test func coolsDownEachRoomOnItsOwn() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            let train = TrainArt.lines()
            try await alice.send("/train")
            _ = try await bob.expectBlock(header: "alice ran /train", bodyLines: train.count)
            try await bob.send("/join elsewhere")
            try await bob.expectLine(containing: "joined #elsewhere")
            try await bob.send("/train")
            #expect(try await bob.expectBlock(header: "bob ran /train", bodyLines: train.count) == train)
        }
    }

    @Test(arguments: ["/eyes", "/xeyes/", "/xeyes"])
    func looksAtTheLastSpeaker(_ typed: String) async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await bob.send("hi")
            #expect(try await alice.nextLine() == "<bob> hi")
            try await alice.send(typed)
            // bob joined after alice, so from where alice sits he is to the right.
            let eyes = EyesArt.lines(gaze: .right, caption: "looking at bob")
            for client in clients {
                #expect(try await client.expectBlock(header: "alice ran /eyes", bodyLines: eyes.count) == eyes)
            }
        }
    }

    @Test func staresStraightAheadWhenNobodyHasSpoken() async throws {
        try await FunSetup().withServer { server in
            let alice = try await server.join("alice")
            try await alice.send("/eyes")
            let eyes = EyesArt.lines(gaze: .straight, caption: "nobody has said anything yet")
            #expect(try await alice.expectBlock(header: "alice ran /eyes", bodyLines: eyes.count) == eyes)
        }
    }

    @Test func slapsSomeoneWithATrout() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            let (alice, bob, carol) = (clients[0], clients[1], clients[2])
            try await alice.send("/slap bob")
            for client in [bob, carol] {
                let action = try await client.nextLine()
                #expect(action.hasPrefix("* alice slaps bob "), "\(client.name)")
                #expect(action.contains("trout"), "\(client.name)")
            }
            try await alice.send("/slap")
            #expect(try await alice.nextLine().hasPrefix("! Usage: /slap"))
            try await bob.expectNoLine(within: Self.quiet)
        }
    }

    @Test func hidesOtherPeoplesBlocksFromWhoeverTurnsFunOff() async throws {
        try await FunSetup().withServer { server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            let (alice, bob, carol) = (clients[0], clients[1], clients[2])
            let cow = CowsayRenderer.render("Moo")

            try await bob.send("/fun off")
            let off = try await bob.nextLine()
            #expect(off.hasPrefix("* Fun is off"))
            try await alice.send("/cowsay Moo")
            for client in [alice, carol] {
                #expect(try await client.expectBlock(header: "alice ran /cowsay Moo", bodyLines: cow.count) == cow)
            }
            try await bob.expectNoLine(within: Self.quiet)

            // Only blocks are hidden: messages still arrive, and bob still sees his own cows.
            try await alice.send("still here")
            #expect(try await bob.nextLine() == "<alice> still here")
            #expect(try await carol.nextLine() == "<alice> still here")
            try await bob.send("/cowsay Moo")
            for client in [bob, alice, carol] {
                #expect(try await client.expectBlock(header: "bob ran /cowsay Moo", bodyLines: cow.count) == cow)
            }

            try await bob.send("/fun on")
            #expect(try await bob.nextLine() == "* Fun is on.")
            try await alice.send("/cowsay Moo")
            #expect(try await bob.expectBlock(header: "alice ran /cowsay Moo", bodyLines: cow.count) == cow)

            try await bob.send("/fun sideways")
            #expect(try await bob.nextLine().hasPrefix("! Usage: /fun"))
        }
    }

    @Test func listsToolsAndPluginsInDoctor() async throws {
        let setup = FunSetup(tools: ExternalTools(), pluginsPath: FunSetup.shippedPluginsPath)
        try await setup.withServer { server in
            let alice = try await server.join("alice")
            try await alice.send("/doctor")
            let lines = try await alice.nextLinesUntilQuiet()
            #expect(lines.allSatisfy { $0.hasPrefix("* ") }, "\(lines)")
            #expect(lines.contains("* cowsay: not found"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("* fallback: the built-in cowsay renderer") }, "\(lines)")
            #expect(
                lines.contains("* plugins in \(FunSetup.shippedPluginsPath): /8ball, /roll, /shrug, /tableflip"),
                "\(lines)"
            )
        }
    }

    @Test(.enabled(if: FunSetup.isInstalled("cowsay")))
    func showsWhereDoctorFoundTheRealCowsay() async throws {
        let tools = await FunSetup.installedTools()
        let cowsay = try #require(tools.path(of: "cowsay"))
        try await FunSetup(tools: tools).withServer { server in
            let alice = try await server.join("alice")
            try await alice.send("/doctor")
            let lines = try await alice.nextLinesUntilQuiet()
            #expect(lines.contains("* cowsay: found at \(cowsay)"), "\(lines)")
            #expect(lines.contains("* plugins: no plugin folder"), "\(lines)")
            #expect(!lines.contains { $0.contains("built-in cowsay renderer") }, "\(lines)")
        }
    }

    @Test func listsTheFunCommandsAndThePluginsInHelp() async throws {
        try await FunSetup(pluginsPath: FunSetup.shippedPluginsPath).withServer { server in
            let alice = try await server.join("alice")
            try await alice.send("/help")
            let lines = try await alice.nextLinesUntilQuiet()
            #expect(lines.first?.hasPrefix("* Commands") == true, "\(lines)")
            for command in ["/cowsay", "/cowthink", "/train", "/eyes", "/slap", "/fun", "/emoji", "/doctor"]
                + ["/roll", "/8ball", "/shrug", "/tableflip"]
            {
                #expect(lines.contains { $0.hasPrefix("*   \(command) ") }, "\(command) is missing from \(lines)")
            }
            // A plugin's `# summary:` header is its help text.
            #expect(lines.contains { $0.hasPrefix("*   /roll ") && $0.contains("roll dice") }, "\(lines)")

            try await alice.send("/help roll")
            #expect(try await alice.nextLine().hasPrefix("* /roll "))
        }
    }

    @Test(.enabled(if: FunSetup.isInstalled("fortune")))
    func tellsTheRoomAFortune() async throws {
        try await FunSetup(tools: await FunSetup.installedTools()).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/fortune")
            let body = try await clients[1].expectBlock(header: "alice ran /fortune")
            #expect(body.contains { $0.contains { !$0.isWhitespace } }, "got \(body)")
            #expect(try await clients[0].expectBlock(header: "alice ran /fortune") == body)
            try await clients[0].send("/fortune please")
            #expect(try await clients[0].nextLine().hasPrefix("! Usage: /fortune"))
        }
    }

    @Test(.enabled(if: FunSetup.isInstalled("figlet")))
    func writesBigLettersWithFiglet() async throws {
        let tools = await FunSetup.installedTools()
        let figlet = try #require(tools.path(of: "figlet"))
        try await FunSetup(tools: tools).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/figlet hi")
            let expected = try await ToolOutput.lines(of: figlet, ["--", "hi"])
            #expect(expected.count >= 4)
            for client in clients {
                #expect(try await client.expectBlock(header: "alice ran /figlet hi") == expected, "\(client.name)")
            }
            try await clients[0].send("/figlet")
            #expect(try await clients[0].nextLine().hasPrefix("! Usage: /figlet"))

            // Text that looks like options is drawn, not obeyed (figlet has a room cooldown of 5 s: use a new room).
            for client in clients {
                try await client.send("/join options")
                try await client.expectLine(containing: "\(client.name) joined #options")
            }
            _ = await clients[0].drain()
            try await clients[0].send("/figlet -f /etc/passwd")
            let drawn = try await clients[1].expectBlock(header: "alice ran /figlet -f /etc/passwd")
            #expect(drawn == (try await ToolOutput.lines(of: figlet, ["--", "-f /etc/passwd"])))
            #expect(!drawn.contains { $0.contains("root:") })
        }
    }

    @Test func sendsATrainToAStructuredClientAsOneBlockEvent() async throws {
        try await FunSetup().withServer { server in
            let alice = try await server.connect("alice")
            try await alice.send("/mode json")
            try await alice.send("alice")
            try await alice.expectLine(
                where: { $0.contains(#""type":"welcome""#) },
                described: "welcome",
                maxSkipped: 3
            )
            let bob = try await server.join("bob")
            try await alice.expectLine(containing: "bob joined")

            try await alice.send("/train")
            let line = try await alice.nextLine()
            #expect(line.contains(#""type":"block""#))
            let event = try WireFormat.decodeJSON(line)
            #expect(event.kind == .block)
            #expect(event.animation == "train")
            #expect(event.command == "train")
            #expect(event.from == "alice")
            #expect(event.room == "#main")
            #expect(event.text == "alice ran /train")
            #expect(event.lines == TrainArt.lines())
            try await alice.expectNoLine(within: Self.quiet)

            // The same event, rendered as text, for a plain client.
            let train = TrainArt.lines()
            #expect(try await bob.expectBlock(header: "alice ran /train", bodyLines: train.count) == train)
        }
    }
}
