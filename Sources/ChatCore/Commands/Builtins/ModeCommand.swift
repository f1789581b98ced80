/// `/mode plain|json`: switch this connection's wire format (the official client sends `/mode json` first).
public struct ModeCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "mode",
        usage: "plain|json",
        summary: "switch between plain text lines and JSON lines"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard let format = WireFormat(rawValue: invocation.arguments.lowercased()) else {
            throw CommandError.usage(self.descriptor)
        }
        context.connection.outbox.format = format
        context.connection.outbox.send(ChatEvent(kind: .mode, text: format.rawValue))
    }
}
