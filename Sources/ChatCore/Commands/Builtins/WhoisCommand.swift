/// `/whois NICK`: where someone is, how long idle, whether away.
public struct WhoisCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "whois",
        usage: "NICK",
        summary: "show someone's room, idle time and away message"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let words = invocation.words
        guard words.count == 1 else { throw CommandError.usage(self.descriptor) }
        guard let description = await context.hub.describe(words[0]) else {
            throw CommandError.failed("No one called \(words[0]) is online.")
        }
        context.notice(description)
    }
}
