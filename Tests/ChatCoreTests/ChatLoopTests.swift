import ChatProtocol
import Testing

@testable import ChatCore

/// ``ChatLoop``'s rules that need no hub: how a failed command is described, and the old emoji help.
@Suite struct ChatLoopTests {
    struct Unexpected: Error {}

    @Test func aCommandErrorIsToldInItsOwnWords() throws {
        let invocation = try #require(CommandInvocation(parsing: "/nick"))
        #expect(ChatLoop.describe(CommandError.failed("No such room."), of: invocation) == "No such room.")
    }

    @Test func anyOtherErrorIsAPlainApologyNamingTheCommand() throws {
        let invocation = try #require(CommandInvocation(parsing: "/nick bob"))
        #expect(ChatLoop.describe(Unexpected(), of: invocation) == "/nick failed unexpectedly.")
    }

    @Test(arguments: ["emoji -help", "  Emoji -HELP\t"])
    func theOldEmojiHelpIsRecognisedWhateverItsCaseAndSpacing(text: String) {
        #expect(ChatLoop.isEmojiHelp(text))
    }

    @Test(arguments: ["emoji help", "emoji -help please", ":tada: emoji -help"])
    func otherMessagesAreNotTheEmojiHelp(text: String) {
        #expect(!ChatLoop.isEmojiHelp(text))
    }
}
