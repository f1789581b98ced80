import ChatProtocol

/// `/msg NICK TEXT`: a private message.
public struct MsgCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "msg",
        aliases: ["pm", "tell", "query"],
        usage: "NICK TEXT",
        summary: "send a private message"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard let recipient = try invocation.nameArgument(), let (_, text) = invocation.splitFirstWord(), !text.isEmpty
        else {
            throw CommandError.usage(self.descriptor)
        }
        try await context.hub.sendPrivateMessage(text, to: recipient, from: context.session)
    }
}
