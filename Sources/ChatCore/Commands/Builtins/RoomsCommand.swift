import ChatProtocol

/// `/rooms [PAGE]`: every room and how many are in it, busiest first, a page at a time.
public struct RoomsCommand: ChatCommand {
    /// Rooms per page.
    static let pageSize = 50

    public let descriptor = CommandDescriptor(
        name: "rooms",
        aliases: ["list"],
        usage: "[PAGE]",
        summary: "list the rooms"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let number = try Page<String>.number(in: invocation.words, usage: self.descriptor)
        let rooms = await context.hub.roomList()
        let page = try Page(rooms, number: number, size: Self.pageSize)
        let listing = page.elements.map { "\($0.room) (\($0.members))" }.joined(separator: ", ")
        context.notice("Rooms\(page.label): \(listing); /join ROOM to move")
        if page.hasMore {
            context.notice("More: /rooms \(page.number + 1)")
        }
    }
}
