import ChatProtocol

/// `/reply TEXT`: a private message to whoever sent me the last one.
public struct ReplyCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "reply",
        aliases: ["r"],
        usage: "TEXT",
        summary: "answer the last private message you got"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard !invocation.arguments.isEmpty else { throw CommandError.usage(self.descriptor) }
        try await context.hub.reply(invocation.arguments, from: context.session)
    }
}
