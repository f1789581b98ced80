/// `/rooms`: every room and how many are in it.
public struct RoomsCommand: ChatCommand {
    public let descriptor = CommandDescriptor(name: "rooms", aliases: ["list"], summary: "list the rooms")

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let rooms = await context.hub.roomList()
        let listing = rooms.map { "\($0.room) (\($0.members))" }.joined(separator: ", ")
        context.notice("Rooms: \(listing); /join ROOM to move")
    }
}
