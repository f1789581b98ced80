import ChatProtocol

/// `/ignore [NICK]`: stop seeing someone's messages; alone, list whom I ignore.
public struct IgnoreCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "ignore",
        usage: "[NICK]",
        summary: "hide someone's messages from you; alone, lists whom you ignore"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        switch invocation.words.count {
        case 0:
            let ignored = await context.hub.ignoreList(of: context.session)
            context.notice(
                ignored.isEmpty ? "You are not ignoring anyone." : "Ignoring: " + ignored.joined(separator: ", ")
            )
        case 1:
            guard let name = try invocation.nameArgument() else { throw CommandError.usage(self.descriptor) }
            try await context.hub.ignore(name, by: context.session)
        default:
            throw CommandError.usage(self.descriptor)
        }
    }
}
