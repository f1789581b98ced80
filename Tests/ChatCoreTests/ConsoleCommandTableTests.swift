import Testing

@testable import ChatCore

/// The console's commands are one table: help, usage lines and the no-arguments refusal all come from it.
@Suite struct ConsoleCommandTableTests {
    @Test func helpListsEveryCommandWithItsOtherNames() {
        for command in AdminConsole.commands {
            #expect(AdminConsole.help.contains("  " + command.synopsis), "\(command.name) is missing from help")
            for word in command.words.dropFirst() {
                #expect(AdminConsole.help.contains(word), "\(word) is missing from help")
            }
        }
    }

    @Test func everyWordNamesOneCommand() {
        let words = AdminConsole.commands.flatMap(\.words)
        #expect(Set(words).count == words.count)
        #expect(words.allSatisfy { $0 == $0.lowercased() && !$0.contains(" ") })
    }

    @Test func usageLinesSayWhatHelpSays() {
        #expect(AdminConsole.usage["kick"] == "usage: kick NICK [REASON]")
        #expect(AdminConsole.usage["ban"] == "usage: ban NICK|ADDRESS [DURATION] [REASON]")
        #expect(AdminConsole.usage["unban"] == "usage: unban NICK|ADDRESS")
        #expect(AdminConsole.usage["who"] == "usage: who")
    }
}
