/// `/away [message]`: set or clear my away message.
public struct AwayCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "away",
        usage: "[message]",
        summary: "say you are away (PMs get the message back); alone, clears it"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let message = invocation.arguments.isEmpty ? nil : invocation.arguments
        await context.hub.setAway(context.session, message: message)
    }
}
