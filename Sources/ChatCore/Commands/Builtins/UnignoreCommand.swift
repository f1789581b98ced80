/// `/unignore NICK`: see someone's messages again.
public struct UnignoreCommand: ChatCommand {
    public let descriptor = CommandDescriptor(name: "unignore", usage: "NICK", summary: "stop ignoring someone")

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let words = invocation.words
        guard words.count == 1 else { throw CommandError.usage(self.descriptor) }
        try await context.hub.unignore(words[0], by: context.session)
    }
}
