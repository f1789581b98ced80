import ChatProtocol

/// `/unignore NICK`: see someone's messages again.
public struct UnignoreCommand: ChatCommand {
    public let descriptor = CommandDescriptor(name: "unignore", usage: "NICK", summary: "stop ignoring someone")

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard invocation.words.count == 1, let name = try invocation.nameArgument() else {
            throw CommandError.usage(self.descriptor)
        }
        try await context.hub.unignore(name, by: context.session)
    }
}
