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
        let words = invocation.words
        guard words.count == 1 else { throw CommandError.usage(self.descriptor) }
        try await context.hub.switchRoom(context.session, to: words[0])
        await context.hub.replayHistory(to: context.session)
    }
}
