import ChatProtocol

/// `/me ACTION`: `* nick ACTION` to the room.
public struct MeCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "me",
        aliases: ["action"],
        usage: "ACTION",
        summary: "describe what you do, like * alice waves"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard !invocation.arguments.isEmpty else { throw CommandError.usage(self.descriptor) }
        await context.hub.act(invocation.arguments, from: context.session)
    }
}
