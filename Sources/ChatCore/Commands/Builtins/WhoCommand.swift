import ChatProtocol

/// `/who [PAGE]`: the members of my room, a page at a time.
public struct WhoCommand: ChatCommand {
    /// Members per page: even with the longest nicknames and away messages, one line a client can take.
    static let pageSize = 50

    public let descriptor = CommandDescriptor(
        name: "who",
        aliases: ["names"],
        usage: "[PAGE]",
        summary: "list who is in your room"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let number = try Page<String>.number(in: invocation.words, usage: self.descriptor)
        let (room, members) = await context.hub.membersOfRoom(of: context.session)
        let page = try Page(members, number: number, size: Self.pageSize)
        context.notice("\(room) (\(members.count))\(page.label): " + page.elements.joined(separator: ", "))
        if page.hasMore {
            context.notice("More: /who \(page.number + 1)")
        }
    }
}
