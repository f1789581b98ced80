/// `/ignore [NICK]`: stop seeing someone's messages; alone, list whom I ignore.
public struct IgnoreCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "ignore",
        usage: "[NICK]",
        summary: "hide someone's messages from you; alone, lists whom you ignore"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let words = invocation.words
        switch words.count {
        case 0:
            let ignored = await context.hub.ignoreList(of: context.session)
            context.notice(
                ignored.isEmpty ? "You are not ignoring anyone." : "Ignoring: " + ignored.joined(separator: ", ")
            )
        case 1:
            try await context.hub.ignore(words[0], by: context.session)
        default:
            throw CommandError.usage(self.descriptor)
        }
    }
}
