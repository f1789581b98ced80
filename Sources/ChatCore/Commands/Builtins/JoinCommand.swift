import ChatProtocol

/// `/join ROOM`: move to a room, creating it if new.
public struct JoinCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "join",
        aliases: ["j"],
        usage: "ROOM",
        summary: "move to a room (created if new)"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard invocation.words.count == 1, let room = try invocation.nameArgument() else {
            throw CommandError.usage(self.descriptor)
        }
        try await context.hub.switchRoom(context.session, to: room)
        await context.hub.replayHistory(to: context.session)
    }
}
