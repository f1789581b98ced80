import ChatCore
import ChatTesting
import Foundation
import ProcessRunning
import Testing

/// Plugins over TCP: executables in a plugins folder become commands, picked up and dropped while the server runs,
/// run with literal argv words, a small environment, a timeout, an output cap, and caps on how often and how many.
@Suite struct PluginTests {
    static let quiet = Duration.milliseconds(300)

    /// Prints each argv word on its own line.
    static let echoArguments = #"for word in "$@"; do printf '%s\n' "$word"; done"#

    /// Sends `line` until the answer's first line satisfies `done` (at most `timeout`), reading whatever else each
    /// attempt produced; for waiting on the plugin folder's own rescans.
    private func retry(
        _ line: String,
        from client: LineClient,
        timeout: Duration = TestTime.expected,
        until done: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var answers: [String] = []
        while ContinuousClock.now < deadline {
            try await client.send(line)
            let answer = try await client.nextLine()
            if done(answer) {
                return answer
            }
            answers.append(answer)
            answers += await client.drain(quietFor: .milliseconds(100))
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ExpectationFailure("\(client.name): \(line) never gave the awaited answer; got \(answers.suffix(8))")
    }

    // MARK: Loading

    @Test func picksUpAPluginAddedAndRemovedWhileTheServerRuns() async throws {
        try await PluginFolder.with { folder in
            let setup = FunSetup(pluginsPath: folder.path)
            let plugins = try #require(setup.plugins)
            try await setup.withServer { server in
                // The plugin folder as a running service, rescanning every second, as the real server has it.
                let scanner = Task { try await plugins.run() }
                defer { scanner.cancel() }
                let clients = try await server.joinEveryone("alice", "bob")
                let (alice, bob) = (clients[0], clients[1])
                try await alice.send("/hello")
                #expect(try await alice.nextLine().hasPrefix("! Unknown command /hello"))

                try folder.writeShellPlugin("hello", "# summary: says hello\necho \"hello from the plugin\"")
                let header = try await self.retry("/hello", from: alice) { !$0.hasPrefix("! Unknown command") }
                #expect(header == "* alice ran /hello")
                #expect(try await alice.nextLine() == "hello from the plugin")
                #expect(
                    try await bob.expectBlock(header: "alice ran /hello", bodyLines: 1) == ["hello from the plugin"]
                )

                try folder.remove("hello")
                // Until the next rescan the command is still registered and its run fails to start; then it is gone.
                let gone = try await self.retry("/hello", from: alice) { $0.hasPrefix("! Unknown command") }
                #expect(gone == "! Unknown command /hello; type /help for the list.")
                _ = await bob.drain(quietFor: .zero)
            }
        }
    }

    @Test func addsChangesAndRemovesPluginsOnRescan() async throws {
        try await PluginFolder.with { folder in
            let setup = FunSetup(pluginsPath: folder.path)
            let plugins = try #require(setup.plugins)
            try await setup.withServer { server in
                let alice = try await server.join("alice")
                try folder.writeShellPlugin("hello", "echo one")
                #expect(plugins.rescan() == (added: ["hello"], removed: []))
                try await alice.send("/hello")
                #expect(try await alice.expectBlock(header: "alice ran /hello", bodyLines: 1) == ["one"])

                try folder.writeShellPlugin("hello", "# output: caller\necho two two")
                #expect(plugins.rescan().added == ["hello"])
                try await alice.send("/hello")
                #expect(try await alice.expectBlock(header: "alice ran /hello", bodyLines: 1) == ["two two"])

                try folder.remove("hello")
                #expect(plugins.rescan() == (added: [], removed: ["hello"]))
                try await alice.send("/hello")
                let error = try await alice.nextLine()
                #expect(error.hasPrefix("! Unknown command /hello"))
                try await alice.send("/help")
                #expect(!(try await alice.nextLinesUntilQuiet()).contains { $0.contains("/hello") })
            }
        }
    }

    /// Issue 19, item 5: a file named with an escape code and a newline reached whoever ran `/doctor` as it was.
    @Test func doctorCleansThePluginFileNamesItShows() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("evil\u{1B}[2J\u{1B}]0;owned\u{07}\n! fake error", "echo evil")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let alice = try await server.join("alice")
                try await alice.send("/doctor")
                let doctor = try await alice.nextLinesUntilQuiet()
                #expect(doctor.contains { $0.hasPrefix("* plugin evil! fake error not loaded: ") }, "\(doctor)")
                #expect(!doctor.contains { $0.hasPrefix("! fake error") }, "\(doctor)")
                // The harness also fails the test if a control character reached alice.
                #expect(alice.violations.isEmpty, "\(alice.violations)")
            }
        }
    }

    @Test func ignoresDottedAndNonExecutableFilesAndSaysWhyInDoctor() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("ok", "echo fine")
            try folder.writeShellPlugin("helper.sh", "echo helper")
            try folder.writeShellPlugin("noexec", "echo noexec", executable: false)
            try folder.writeShellPlugin("help", "echo hijacked")
            try folder.writeShellPlugin("Shout", "echo LOUD")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let alice = try await server.join("alice")
                for typed in ["/noexec", "/helper.sh", "/helper", "/shout"] {
                    try await alice.send(typed)
                    #expect(try await alice.nextLine().hasPrefix("! Unknown command"), "\(typed)")
                }
                try await alice.send("/doctor")
                let doctor = try await alice.nextLinesUntilQuiet()
                #expect(doctor.contains("* plugins in \(folder.path): /ok"), "\(doctor)")
                #expect(doctor.contains { $0.hasPrefix("* plugin noexec not loaded: not executable") }, "\(doctor)")
                #expect(doctor.contains { $0.hasPrefix("* plugin help not loaded: ") }, "\(doctor)")
                #expect(doctor.contains { $0.hasPrefix("* plugin Shout not loaded: invalid name") }, "\(doctor)")
                #expect(!doctor.contains { $0.contains("helper") }, "\(doctor)")

                // A plugin cannot replace a built-in.
                try await alice.send("/help help")
                #expect(try await alice.nextLinesUntilQuiet().first?.hasPrefix("* /help ") == true)
                try await alice.send("/ok")
                #expect(try await alice.expectBlock(header: "alice ran /ok", bodyLines: 1) == ["fine"])
            }
        }
    }

    // MARK: What a plugin gets

    @Test func passesShellSyntaxAsLiteralArgvWords() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("args", Self.echoArguments)
            let marker = folder.file("pwned.marker")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let alice = try await server.join("alice")
                let typed = #"/args $(touch \#(marker)) `touch \#(marker)` ; | && "$(touch \#(marker))" $HOME *"#
                try await alice.send(typed)
                try await alice.expectLine(containing: "* alice ran /args ")
                let words = try await alice.nextLines(10)
                #expect(
                    words == [
                        "$(touch", "\(marker))", "`touch", "\(marker)`", ";", "|", "&&", "$(touch \(marker))",
                        "$HOME", "*",
                    ]
                )
                try await alice.expectNoLine(within: Self.quiet)
                #expect(!FileManager.default.fileExists(atPath: marker))
            }
        }
    }

    @Test func splitsQuotedArgumentsLikeAShellWithoutOne() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("args", Self.echoArguments)
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let alice = try await server.join("alice")
                try await alice.send(#"/args "d20 + 3" 'it''s' a\ b"#)
                #expect(
                    try await alice.expectBlock(header: #"alice ran /args "d20 + 3" 'it''s' a\ b"#, bodyLines: 3)
                        == ["d20 + 3", "its", "a b"]
                )
                try await alice.send(#"/args "unterminated"#)
                let error = try await alice.nextLine()
                #expect(error.hasPrefix("! /args: unterminated"))
                try await alice.expectNoLine(within: Self.quiet)
            }
        }
    }

    @Test func passesTheLegacyFormsArgumentsAsWords() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("args", Self.echoArguments + "\necho \"count=$#\"")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let alice = try await server.join("alice")
                try await alice.send("/args?a b/")
                #expect(
                    try await alice.expectBlock(header: "alice ran /args a b", bodyLines: 3) == ["a", "b", "count=2"]
                )
                try await alice.send("/args/")
                #expect(try await alice.expectBlock(header: "alice ran /args", bodyLines: 1) == ["count=0"])
            }
        }
    }

    @Test func tellsThePluginWhoRanItAndWhere() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("whoami", #"echo "$CHAT_NICK in $CHAT_ROOM, home $HOME, cwd $(pwd)""#)
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let clients = try await server.joinEveryone("alice", "bob")
                let (alice, bob) = (clients[0], clients[1])
                try await bob.send("/join games")
                try await bob.expectLine(containing: "joined #games")
                try await alice.expectLine(containing: "bob")
                try await bob.send("/whoami")
                let body = try await bob.expectBlock(header: "bob ran /whoami", bodyLines: 1)
                // The plugins folder may be reached through a symbolic link (/tmp on macOS).
                #expect(body.first?.hasPrefix("bob in #games, home /tmp, cwd /") == true, "\(body)")
                #expect(body.first?.hasSuffix(URL(fileURLWithPath: folder.path).lastPathComponent) == true, "\(body)")
                try await alice.expectNoLine(within: Self.quiet)
            }
        }
    }

    @Test func passesNoneOfTheServersOwnEnvironment() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("environment", "env | cut -d= -f1 | sort")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let alice = try await server.join("alice")
                try await alice.send("/environment")
                let names = Set(try await alice.expectBlock(header: "alice ran /environment"))
                let allowed: Set = [
                    "CHAT_NICK", "CHAT_ROOM", "PATH", "LANG", "LC_ALL", "HOME", "PWD", "SHLVL", "_", "SLASHCHAT_RUN",
                ]
                #expect(names.isSuperset(of: ["CHAT_NICK", "CHAT_ROOM", "PATH", "HOME"]), "\(names)")
                #expect(names.isSubset(of: allowed), "unexpected: \(names.subtracting(allowed))")
            }
        }
    }

    // MARK: Limits

    @Test func stopsAPluginThatRunsPastItsTimeout() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("nap", "# timeout: 1\necho starting\nsleep 30\necho woke")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let clients = try await server.joinEveryone("alice", "bob")
                let start = ContinuousClock.now
                try await clients[0].send("/nap")
                let error = try await clients[0].nextLine()
                let elapsed = start.duration(to: .now)
                #expect(error.hasPrefix("! /nap "))
                #expect(error.contains("took longer than 1s") && error.contains("stopped"), "\(error)")
                // Real time is the point, but only its order: stopped at 1 s, not when the 30 s nap would end.
                #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(20), "answered after \(elapsed)")
                try await clients[1].expectNoLine(within: .zero)
            }
        }
    }

    @Test func cutsOutputAtFortyLinesAndSaysSo() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("chatty", #"i=1; while [ $i -le 500 ]; do echo "line $i"; i=$((i+1)); done"#)
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let clients = try await server.joinEveryone("alice", "bob")
                try await clients[0].send("/chatty")
                for client in clients {
                    let body = try await client.expectBlock(header: "alice ran /chatty")
                    let shown = body.dropLast()
                    #expect(Array(shown) == (1...40).map { "line \($0)" }, "\(client.name) got \(body.count) lines")
                    #expect(body.last?.contains("cut") == true, "\(client.name): \(body.last ?? "nothing")")
                }
            }
        }
    }

    @Test func showsTheFirstFortyLinesOfAPluginStoppedAtTheOutputCap() async throws {
        try await PluginFolder.with { folder in
            // Far more than the cap and still printing when it is reached: it dies of our SIGKILL (or of SIGPIPE).
            try folder.writeShellPlugin("huge", "yes 0123456789 | head -n 1000000")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let clients = try await server.joinEveryone("alice", "bob")
                try await clients[0].send("/huge")
                for client in clients {
                    let body = try await client.expectBlock(header: "alice ran /huge")
                    #expect(Array(body.dropLast()) == Array(repeating: "0123456789", count: 40), "\(client.name)")
                    #expect(body.last == "[output cut at 40 lines / 16 KiB]", "\(client.name): \(body.last ?? "")")
                }
                try await clients[0].expectNoLine(within: .milliseconds(250))
            }
        }
    }

    @Test func cutsALongSingleLineAtTheByteCap() async throws {
        try await PluginFolder.with { folder in
            // One endless line: the byte cap (16 KiB), not the line cap, stops it.
            try folder.writeShellPlugin("wide", "tr '\\0' w < /dev/zero")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let alice = try await server.join("alice")
                try await alice.send("/wide")
                // The length is known: waiting for a quiet spell instead read nothing when the 16 KiB came late.
                let body = try await alice.expectBlock(header: "alice ran /wide", bodyLines: 2)
                try await alice.expectNoLine(within: Self.quiet)
                #expect(body.first?.utf8.count == 16 * 1024)
                #expect(body.first?.allSatisfy { $0 == "w" } == true)
                #expect(body.last == "[output cut at 40 lines / 16 KiB]")
            }
        }
    }

    @Test func reportsAFailingPluginsExitStatusAndFirstErrorLine() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin(
                "broken",
                "echo partial\necho '' >&2\necho 'bad things happened' >&2\necho more >&2\nexit 3"
            )
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let clients = try await server.joinEveryone("alice", "bob")
                try await clients[0].send("/broken")
                let error = try await clients[0].nextLine()
                #expect(error == "! /broken failed (exit status 3): bad things happened")
                try await clients[1].expectNoLine(within: Self.quiet)
            }
        }
    }

    @Test func refusesARunWhenTheServerIsRunningTooManyCommands() async throws {
        try await PluginFolder.with { folder in
            // The runs last until the test releases them, not for a time a slow machine might outlast.
            let release = folder.file("release")
            try folder.writeShellPlugin(
                "slow",
                "# output: caller\n# timeout: 10\n"
                    + "while [ ! -e '\(release)' ]; do sleep 0.05; done\necho \"done for $CHAT_NICK\""
            )
            let setup = FunSetup(pluginsPath: folder.path, runner: ProcessRunner(maxConcurrentRuns: 2))
            try await setup.withServer(.loopback(floodRate: 0)) { server in
                let clients = try await server.joinEveryone("alice", "bob", "carol")
                try await withThrowingTaskGroup(of: (String, [String]).self) { group in
                    for client in clients {
                        group.addTask {
                            try await client.send("/slow")
                            let first = try await client.nextLine()
                            guard !first.hasPrefix("! ") else { return (client.name, [first]) }
                            return (client.name, [first, try await client.nextLine()])
                        }
                    }
                    // No run can finish before the release file exists, so the first answer is the refusal.
                    let (refused, refusal) = try #require(try await group.next())
                    #expect(refusal.count == 1 && refusal[0].contains("already running 2 commands"), "\(refusal)")
                    _ = FileManager.default.createFile(atPath: release, contents: Data())
                    var finished: [String] = []
                    for try await (name, answer) in group {
                        #expect(answer == ["* \(name) ran /slow", "done for \(name)"])
                        finished.append(name)
                    }
                    #expect(Set(finished + [refused]) == Set(clients.map(\.name)), "refused \(refused)")
                }
            }
        }
    }

    @Test func coolsDownAUserWhoRunsPluginsTooOften() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("fast", "# output: caller\necho quick")
            try await FunSetup(pluginsPath: folder.path).withServer(.loopback(floodRate: 0)) { server in
                let clients = try await server.joinEveryone("alice", "bob")
                let (alice, bob) = (clients[0], clients[1])
                let start = ContinuousClock.now
                try await alice.sendRaw(String(repeating: "/fast\n", count: 12))
                // Every answer, until the server has been quiet a while: runs and cooldown notices.
                var runs = 0
                var notices: [String] = []
                while runs + notices.count < 12 {
                    let line = try await alice.nextLine()
                    if line == "* alice ran /fast" { runs += 1 }
                    if line.contains("Cooldown") { notices.append(line) }
                }
                // Five at once, then one every 2 s: a busy machine that takes seconds over the runs earns more, and
                // the rest are refused with the cooldown notice.
                let refilled = Int(start.duration(to: .now) / .seconds(2))
                #expect((5...(6 + refilled)).contains(runs), "\(runs) runs before the cooldown, \(refilled) refilled")
                #expect(notices.allSatisfy { $0.hasPrefix("* ") }, "\(notices)")
                #expect(runs == 12 || !notices.isEmpty)
                _ = await alice.drain()

                // The cooldown is per user: bob is not held back by alice's runs.
                try await bob.send("/fast")
                #expect(try await bob.expectBlock(header: "bob ran /fast", bodyLines: 1) == ["quick"])
            }
        }
    }

    @Test func showsCallerOnlyOutputToTheCallerAlone() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("secret", "# output: caller\necho \"for $CHAT_NICK only\"")
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let clients = try await server.joinEveryone("alice", "bob", "carol")
                try await clients[0].send("/secret")
                #expect(
                    try await clients[0].expectBlock(header: "alice ran /secret", bodyLines: 1) == ["for alice only"]
                )
                try await clients[1].expectNoLine(within: Self.quiet)
                try await clients[2].expectNoLine(within: .zero)
            }
        }
    }

    @Test func stripsControlCharactersFromPluginOutput() async throws {
        try await PluginFolder.with { folder in
            try folder.writeShellPlugin("paint", #"printf '\033[31mred\033[0m\tand\007 bell\n'"#)
            try await FunSetup(pluginsPath: folder.path).withServer { server in
                let clients = try await server.joinEveryone("alice", "bob")
                try await clients[0].send("/paint")
                // Tabs are expanded to 8-column stops; escape sequences and the bell are gone.
                #expect(
                    try await clients[1].expectBlock(header: "alice ran /paint", bodyLines: 1) == ["red     and bell"]
                )
            }
        }
    }

    // MARK: The shipped plugins

    static let hasPython = FunSetup.isInstalled("python3")

    @Test(.enabled(if: PluginTests.hasPython))
    func rollsDiceWithTheShippedRollPlugin() async throws {
        try await FunSetup(pluginsPath: FunSetup.shippedPluginsPath).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/roll 2d6")
            let body = try await clients[1].expectBlock(header: "alice ran /roll 2d6", bodyLines: 1)
            let line = try #require(body.first)
            #expect(line.contains("alice rolls 2d6"), "\(line)")
            // "🎲 alice rolls 2d6: A + B = C"
            let numbers = line.split(separator: ":").last?.split(whereSeparator: { !$0.isNumber }).compactMap {
                Int($0)
            }
            let dice = try #require(numbers)
            #expect(dice.count == 3, "\(line)")
            if dice.count == 3 {
                #expect((1...6).contains(dice[0]) && (1...6).contains(dice[1]), "\(line)")
                #expect(dice[0] + dice[1] == dice[2], "\(line)")
            }
        }
    }

    @Test(.enabled(if: PluginTests.hasPython))
    func refusesANonsenseRollWithTheShippedRollPlugin() async throws {
        try await FunSetup(pluginsPath: FunSetup.shippedPluginsPath).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/roll banana")
            let error = try await clients[0].nextLine()
            #expect(error.hasPrefix("! /roll failed (exit status 2): "))
            #expect(error.contains("banana"))
            try await clients[1].expectNoLine(within: Self.quiet)
        }
    }

    @Test(.enabled(if: PluginTests.hasPython))
    func answersAQuestionWithTheShippedEightBallPlugin() async throws {
        try await FunSetup(pluginsPath: FunSetup.shippedPluginsPath).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/8ball will it work")
            let body = try await clients[1].expectBlock(header: "alice ran /8ball will it work", bodyLines: 2)
            #expect(body[0] == "🎱 will it work")
            #expect(body[1].hasPrefix("   ") && body[1].count > 5, "\(body[1])")
        }
    }

    /// A line typed to a shipped shell plugin, the block header it gives, and the one line it prints.
    struct ShellPluginCase: Sendable, CustomTestStringConvertible {
        let typed: String
        let header: String
        let line: String

        var testDescription: String { self.typed }
    }

    @Test(
        arguments: [
            ShellPluginCase(typed: "/shrug hi", header: "alice ran /shrug hi", line: #"hi ¯\_(ツ)_/¯"#),
            ShellPluginCase(typed: "/shrug", header: "alice ran /shrug", line: #"¯\_(ツ)_/¯"#),
            ShellPluginCase(typed: "/tableflip", header: "alice ran /tableflip", line: "(╯°□°)╯︵ ┻━┻"),
            ShellPluginCase(typed: "/tableflip?argh/", header: "alice ran /tableflip argh", line: "argh (╯°□°)╯︵ ┻━┻"),
        ]
    )
    func postsTheShippedShellPlugins(_ plugin: ShellPluginCase) async throws {
        try await FunSetup(pluginsPath: FunSetup.shippedPluginsPath).withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send(plugin.typed)
            for client in clients {
                #expect(
                    try await client.expectBlock(header: plugin.header, bodyLines: 1) == [plugin.line],
                    "\(client.name)"
                )
            }
        }
    }
}
