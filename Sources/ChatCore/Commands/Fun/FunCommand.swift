import ChatProtocol

/// `/fun off|on`: hide (or show again) other people's command blocks, for me only.
public struct FunCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "fun",
        usage: "off|on",
        summary: "hide or show other people's cows, trains and plugin output, for you only"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        switch invocation.arguments.lowercased() {
        case "off":
            await context.hub.setFunMuted(true, for: context.session)
            context.notice("Fun is off: you will not see other people's command blocks. /fun on brings them back.")
        case "on":
            await context.hub.setFunMuted(false, for: context.session)
            context.notice("Fun is on.")
        default:
            throw CommandError.usage(self.descriptor)
        }
    }
}
