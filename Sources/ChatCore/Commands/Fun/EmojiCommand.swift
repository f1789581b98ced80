import ChatEmoji
import ChatProtocol

/// `/emoji [word] [page]`: the shortcodes, searchable, a page at a time so nobody floods themselves.
public struct EmojiCommand: ChatCommand {
    /// Shortcodes per page and per line.
    static let pageSize = 40
    static let perLine = 4

    public let descriptor = CommandDescriptor(
        name: "emoji",
        usage: "[word] [page]",
        summary: "list emoji shortcodes like :tada:, or search them"
    )

    let table: EmojiTable

    public init(table: EmojiTable = .standard) {
        self.table = table
    }

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        var words = invocation.words
        var page = 1
        if let last = words.last, let number = Int(last) {
            guard number >= 1 else { throw CommandError.usage(self.descriptor) }
            page = number
            words.removeLast()
        }
        guard words.count <= 1 else { throw CommandError.usage(self.descriptor) }
        let word = words.first ?? ""
        let matches = self.table.search(word)
        guard !matches.isEmpty else {
            throw CommandError.failed("No emoji shortcode contains \"\(word)\"; try /emoji with a shorter word.")
        }
        let shown = try Page(matches, number: page, size: Self.pageSize)
        let subject = word.isEmpty ? "Emoji shortcodes" : "Emoji shortcodes containing \"\(word)\""
        var lines = [
            "\(subject): \(matches.count), page \(page) of \(shown.count). Type them in any message, like :tada:."
        ]
        var row: [String] = []
        for (shortcode, emoji) in shown.elements {
            row.append(":\(shortcode): \(emoji)")
            if row.count == Self.perLine {
                lines.append(row.joined(separator: "   "))
                row = []
            }
        }
        if !row.isEmpty { lines.append(row.joined(separator: "   ")) }
        if shown.hasMore {
            lines.append("More: /emoji \(word.isEmpty ? "" : word + " ")\(page + 1)")
        }
        context.notices(lines)
    }
}
