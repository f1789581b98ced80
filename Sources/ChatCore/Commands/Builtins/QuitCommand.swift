/// `/quit [reason]`: leave the chat.
public struct QuitCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "quit",
        aliases: ["exit", "bye"],
        usage: "[reason]",
        summary: "leave the chat"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let reason = invocation.arguments.isEmpty ? "quit" : "quit: \(invocation.arguments)"
        context.connection.requestQuit(reason: reason)
    }
}
