import ChatProtocol

/// `/quit [reason]`: leave the chat.
public struct QuitCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "quit",
        aliases: ["exit", "bye"],
        usage: "[reason]",
        summary: "leave the chat",
        isAvailableBeforeJoining: true
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        try await self.runBeforeJoining(invocation, on: context.connection)
    }

    public func runBeforeJoining(_ invocation: CommandInvocation, on connection: ConnectionState) async throws {
        let reason = invocation.arguments.isEmpty ? "quit" : "quit: \(invocation.arguments)"
        connection.requestQuit(reason: reason)
    }
}
