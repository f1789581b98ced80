import ChatProtocol

/// `/whois NICK`: where someone is, how long idle, whether away.
public struct WhoisCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "whois",
        usage: "NICK",
        summary: "show someone's room, idle time and away message"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard invocation.words.count == 1, let name = try invocation.nameArgument() else {
            throw CommandError.usage(self.descriptor)
        }
        guard let description = await context.hub.describe(name) else {
            throw CommandError.failed("No one called \(name) is online.")
        }
        context.notice(description)
    }
}
