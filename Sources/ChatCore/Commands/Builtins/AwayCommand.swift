import ChatProtocol

/// `/away [message]`: set or clear my away message.
public struct AwayCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "away",
        usage: "[message]",
        summary: "say you are away (PMs get the message back); alone, clears it"
    )

    /// The longest away message, in characters (and 4 bytes each at most): `/who` shows it for every member.
    public static let maximumLength = 200

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let message = invocation.arguments.isEmpty ? nil : invocation.arguments
        if let message, message.count > Self.maximumLength || message.utf8.count > 4 * Self.maximumLength {
            throw CommandError.failed("An away message has at most \(Self.maximumLength) characters.")
        }
        await context.hub.setAway(context.session, message: message)
    }
}
