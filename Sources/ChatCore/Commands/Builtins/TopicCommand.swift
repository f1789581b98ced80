import ChatProtocol

/// `/topic [TEXT | -]`: show the room's topic, set it, or (with `-`) clear it.
public struct TopicCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "topic",
        usage: "[text | -]",
        summary: "show the room's topic; with text, set it for everyone; with -, clear it"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let text = invocation.arguments.trimmingSpacesAndTabs()
        guard text.isEmpty else {
            try await context.hub.setTopic(context.session, to: text == "-" ? nil : text)
            return
        }
        guard let room = await context.hub.roomsOf(context.session).last else {
            throw CommandError.failed("You are in no room.")
        }
        guard let topic = await context.hub.topic(of: room) else {
            context.notice("\(room) has no topic. Set one with /topic TEXT.")
            return
        }
        context.connection.recipient.send(topic.announcement(in: room))
    }
}
