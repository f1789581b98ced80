/// `/who`: the members of my room.
public struct WhoCommand: ChatCommand {
    public let descriptor = CommandDescriptor(name: "who", aliases: ["names"], summary: "list who is in your room")

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let (room, members) = await context.hub.membersOfRoom(of: context.session)
        context.notice("\(room) (\(members.count)): " + members.joined(separator: ", "))
    }
}
