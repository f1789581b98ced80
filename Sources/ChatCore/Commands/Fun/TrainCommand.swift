import ChatProtocol

/// `/train [-l] [-a]`: a steam locomotive rolls through the room, as `sl` does in a terminal.
public struct TrainCommand: ChatCommand {
    /// A room gets one train at most this often.
    public static let roomCooldown = Duration.seconds(15)

    public let descriptor = CommandDescriptor(
        name: "train",
        aliases: ["sl"],
        usage: "[-l] [-a]",
        summary: "a steam train for the room (-l little, -a accident)"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        var options = TrainArt.Options()
        for word in invocation.words {
            guard word.hasPrefix("-"), word.count > 1 else { throw CommandError.usage(self.descriptor) }
            for flag in word.dropFirst() {
                switch flag {
                case "l": options.little = true
                case "a": options.accident = true
                default: throw CommandError.usage(self.descriptor)
                }
            }
        }
        try await context.hub.postBlock(
            TrainArt.lines(options),
            command: self.descriptor.name,
            arguments: invocation.arguments,
            animation: "train",
            from: context.session,
            toRoom: true,
            roomCooldown: Self.roomCooldown
        )
    }
}
