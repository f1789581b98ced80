import ChatCore
import ChatProtocol
import Testing

@Suite struct CommandRegistryTests {
    /// A command that only describes itself; the registry never runs commands.
    struct StubCommand: ChatCommand {
        let descriptor: CommandDescriptor

        init(_ name: String, aliases: [String] = [], usage: String = "", summary: String = "a stub") {
            self.descriptor = CommandDescriptor(name: name, aliases: aliases, usage: usage, summary: summary)
        }

        func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {}
    }

    static let coreCommandNames = [
        "help", "who", "nick", "msg", "me", "quit", "join", "rooms", "reply", "away", "topic", "whois", "ignore",
        "unignore",
    ]

    // MARK: Register and look up

    @Test func findsACommandByNameAndByEachAlias() throws {
        let registry = CommandRegistry()
        registry.register(StubCommand("msg", aliases: ["pm", "tell"], summary: "send a private message"))
        for key in ["msg", "pm", "tell"] {
            let command = try #require(registry.command(named: key))
            #expect(command.descriptor.name == "msg")
            #expect(command.descriptor.summary == "send a private message")
        }
    }

    @Test(arguments: ["MSG", "Msg", "mSg", "PM", "Tell"])
    func lookupIgnoresCase(typed: String) throws {
        let registry = CommandRegistry([StubCommand("msg", aliases: ["pm", "tell"])])
        let command = try #require(registry.command(named: typed))
        #expect(command.descriptor.name == "msg")
    }

    @Test(arguments: ["", "ms", "msgs", "m sg", "/msg", "who"])
    func lookupOfAnUnknownNameIsNil(typed: String) {
        let registry = CommandRegistry([StubCommand("msg", aliases: ["pm"])])
        #expect(registry.command(named: typed) == nil)
    }

    @Test func emptyRegistryHasNoCommands() {
        let registry = CommandRegistry()
        #expect(registry.descriptors == [])
        #expect(registry.command(named: "help") == nil)
    }

    @Test func initialiserRegistersEveryCommandGiven() {
        let registry = CommandRegistry([StubCommand("a"), StubCommand("b", aliases: ["bee"]), StubCommand("c")])
        #expect(registry.descriptors.map(\.name) == ["a", "b", "c"])
        #expect(registry.command(named: "bee")?.descriptor.name == "b")
    }

    @Test func registeringTheSameNameReplacesTheCommand() {
        let registry = CommandRegistry([StubCommand("dice", summary: "old")])
        registry.register(StubCommand("dice", summary: "new"))
        #expect(registry.command(named: "dice")?.descriptor.summary == "new")
        #expect(registry.descriptors.count == 1)
    }

    @Test func replacingACommandDropsTheAliasesItNoLongerHas() {
        let registry = CommandRegistry([StubCommand("dice", aliases: ["roll"])])
        registry.register(StubCommand("dice", aliases: ["d"]))
        #expect(registry.command(named: "d")?.descriptor.name == "dice")
        #expect(registry.command(named: "roll") == nil)
    }

    @Test func aCommandNameWinsOverAnotherCommandsAlias() {
        let registry = CommandRegistry([StubCommand("list", summary: "the list command")])
        registry.register(StubCommand("rooms", aliases: ["list"]))
        #expect(registry.command(named: "list")?.descriptor.summary == "the list command")
        #expect(registry.command(named: "rooms")?.descriptor.name == "rooms")
    }

    @Test func theLatestRegistrationOwnsASharedAlias() {
        let registry = CommandRegistry([StubCommand("first", aliases: ["x"]), StubCommand("second", aliases: ["x"])])
        #expect(registry.command(named: "x")?.descriptor.name == "second")
    }

    // MARK: Unregister

    @Test func unregisterRemovesTheCommandAndItsAliases() {
        let registry = CommandRegistry([StubCommand("msg", aliases: ["pm", "tell"]), StubCommand("who")])
        registry.unregister("msg")
        #expect(registry.command(named: "msg") == nil)
        #expect(registry.command(named: "pm") == nil)
        #expect(registry.command(named: "tell") == nil)
        #expect(registry.command(named: "who")?.descriptor.name == "who")
        #expect(registry.descriptors.map(\.name) == ["who"])
    }

    @Test func unregisterKeepsAnAliasNowOwnedByAnotherCommand() {
        let registry = CommandRegistry([
            StubCommand("first", aliases: ["x", "f"]),
            StubCommand("second", aliases: ["x"]),
        ])
        registry.unregister("first")
        #expect(registry.command(named: "x")?.descriptor.name == "second")
        #expect(registry.command(named: "f") == nil)
    }

    @Test func unregisterOfAnUnknownNameChangesNothing() {
        let registry = CommandRegistry([StubCommand("who", aliases: ["names"])])
        registry.unregister("nobody")
        registry.unregister("names")  // an alias is not a command name
        #expect(registry.command(named: "who")?.descriptor.name == "who")
        #expect(registry.command(named: "names")?.descriptor.name == "who")
    }

    @Test func aCommandCanBeRegisteredAgainAfterUnregistering() {
        let registry = CommandRegistry([StubCommand("fortune", aliases: ["cookie"])])
        registry.unregister("fortune")
        registry.register(StubCommand("fortune", aliases: ["cookie"], summary: "back"))
        #expect(registry.command(named: "cookie")?.descriptor.summary == "back")
    }

    // MARK: Descriptors

    @Test func descriptorsAreSortedByName() {
        let registry = CommandRegistry([
            StubCommand("who"), StubCommand("away"), StubCommand("msg", aliases: ["pm"]), StubCommand("help"),
        ])
        #expect(registry.descriptors.map(\.name) == ["away", "help", "msg", "who"])
    }

    @Test func descriptorsListEachCommandOnceWhateverItsAliases() {
        let registry = CommandRegistry([StubCommand("quit", aliases: ["exit", "bye"])])
        #expect(
            registry.descriptors == [CommandDescriptor(name: "quit", aliases: ["exit", "bye"], summary: "a stub")]
        )
    }

    @Test(arguments: [
        (CommandDescriptor(name: "who", summary: "s"), "/who"),
        (CommandDescriptor(name: "msg", usage: "NICK TEXT", summary: "s"), "/msg NICK TEXT"),
    ])
    func synopsisShowsNameAndUsage(descriptor: CommandDescriptor, expected: String) {
        #expect(descriptor.synopsis == expected)
    }

    @Test func usageErrorShowsSynopsisAndSummary() {
        let descriptor = CommandDescriptor(name: "msg", usage: "NICK TEXT", summary: "send a private message")
        #expect(CommandError.usage(descriptor).description == "Usage: /msg NICK TEXT - send a private message")
        #expect(CommandError.failed("nope").description == "nope")
    }

    // MARK: Concurrency

    @Test func concurrentRegistrationsAreAllKept() async {
        let registry = CommandRegistry()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    registry.register(StubCommand("cmd\(index)", aliases: ["alias\(index)"]))
                }
            }
        }
        #expect(registry.descriptors.count == 200)
        #expect(registry.command(named: "ALIAS123")?.descriptor.name == "cmd123")
    }

    // MARK: Core commands

    @Test(arguments: CommandRegistryTests.coreCommandNames)
    func coreRegistryContainsCommand(name: String) throws {
        let registry = CommandRegistry.withCoreCommands()
        let command = try #require(registry.command(named: name))
        #expect(command.descriptor.name == name)
        #expect(!command.descriptor.summary.isEmpty)
    }

    @Test func coreRegistryListsTheCoreCommandsSorted() {
        let names = CommandRegistry.withCoreCommands().descriptors.map(\.name)
        #expect(names == names.sorted())
        #expect(Set(CommandRegistryTests.coreCommandNames).isSubset(of: Set(names)))
        #expect(names.contains("mode"))
        #expect(Set(names).count == names.count)
    }

    @Test(arguments: [
        ("?", "help"),
        ("commands", "help"),
        ("names", "who"),
        ("pm", "msg"),
        ("tell", "msg"),
        ("query", "msg"),
        ("r", "reply"),
        ("action", "me"),
        ("exit", "quit"),
        ("bye", "quit"),
        ("j", "join"),
        ("list", "rooms"),
        ("HELP", "help"),
    ])
    func coreRegistryResolvesAliases(alias: String, name: String) {
        #expect(CommandRegistry.withCoreCommands().command(named: alias)?.descriptor.name == name)
    }

    @Test func everyCoreNameAndAliasIsLowerCase() {
        for descriptor in CommandRegistry.withCoreCommands().descriptors {
            #expect(descriptor.name == descriptor.name.lowercased())
            for alias in descriptor.aliases {
                #expect(alias == alias.lowercased())
            }
        }
    }

    @Test func eachCoreRegistryIsIndependent() {
        let first = CommandRegistry.withCoreCommands()
        let second = CommandRegistry.withCoreCommands()
        first.unregister("who")
        #expect(first.command(named: "who") == nil)
        #expect(first.command(named: "names") == nil)
        #expect(second.command(named: "who")?.descriptor.name == "who")
    }
}
