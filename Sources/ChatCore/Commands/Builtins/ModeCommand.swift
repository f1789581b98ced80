import ChatProtocol

/// `/mode plain|json`: switch this connection's wire format (the official client sends `/mode json` first).
public struct ModeCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "mode",
        usage: "plain|json",
        summary: "switch between plain text lines and JSON lines",
        isAvailableBeforeJoining: true
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        try await self.runBeforeJoining(invocation, on: context.connection)
    }

    public func runBeforeJoining(_ invocation: CommandInvocation, on connection: ConnectionState) async throws {
        guard let format = WireFormat(rawValue: invocation.arguments.lowercased()) else {
            throw CommandError.usage(self.descriptor)
        }
        connection.recipient.format = format
        connection.recipient.send(ChatEvent(kind: .mode, text: format.rawValue))
    }
}
