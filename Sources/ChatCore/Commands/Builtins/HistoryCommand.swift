import ChatProtocol

/// `/history [N]`: the last N messages of my room (default 20, at most 200).
public struct HistoryCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "history",
        usage: "[N]",
        summary: "show the room's last N messages (default 20, at most 200)"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let words = invocation.words
        var count = 20
        if let word = words.first {
            guard words.count == 1, let number = Int(word), number >= 1 else {
                throw CommandError.usage(self.descriptor)
            }
            count = min(number, Persistence.historyCommandLimit)
        }
        try await context.hub.showHistory(to: context.session, count: count)
    }
}
