import ChatProtocol

/// `/slap NICK`: the IRC classic.
public struct SlapCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "slap",
        usage: "NICK",
        summary: "slap someone around a bit with a large trout"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard invocation.words.count == 1, let name = try invocation.nameArgument() else {
            throw CommandError.usage(self.descriptor)
        }
        await context.hub.act("slaps \(name) around a bit with a large trout 🐟", from: context.session)
    }
}
