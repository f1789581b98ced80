/// `/nick NEW`: change my nickname.
public struct NickCommand: ChatCommand {
    public let descriptor = CommandDescriptor(name: "nick", usage: "NEW", summary: "change your nickname")

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let words = invocation.words
        guard words.count == 1 else { throw CommandError.usage(self.descriptor) }
        try await context.hub.rename(context.session, to: words[0])
    }
}
