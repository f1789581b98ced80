import ChatProtocol

/// `/nick NEW`: change my nickname.
public struct NickCommand: ChatCommand {
    public let descriptor = CommandDescriptor(name: "nick", usage: "NEW", summary: "change your nickname")

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard invocation.words.count == 1, let name = try invocation.nameArgument() else {
            throw CommandError.usage(self.descriptor)
        }
        try await context.hub.rename(context.session, to: name)
    }
}
