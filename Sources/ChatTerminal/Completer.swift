import ChatEmoji

/// Ranks Tab-completion candidates: commands after `/`, emoji after `:`, nicknames otherwise.
public struct Completer: Sendable {
    /// Emoji people reach for most, offered first (so `:ta` Tab gives `:tada:`).
    static let favouriteEmoji = [
        "tada", "smile", "heart", "+1", "thumbsup", "joy", "fire", "rocket", "wave", "laughing", "thinking", "eyes",
        "100", "sob", "pray", "clap", "ok_hand", "sunglasses", "wink", "grin", "star", "sparkles", "coffee", "pizza",
        "beer", "cake", "party_popper", "shrug", "facepalm", "thumbsdown", "-1", "rofl", "heart_eyes", "cry",
    ]

    public var commands: [String]
    public var nicknames: [String]
    let emoji: EmojiTable

    public init(commands: [String] = [], nicknames: [String] = [], emoji: EmojiTable = .standard) {
        self.commands = commands
        self.nicknames = nicknames
        self.emoji = emoji
    }

    /// Candidates for `word`, best first, each a full replacement for the word.
    public func candidates(for word: String, isFirstWord: Bool) -> [String] {
        let lowered = word.lowercased()
        if word.hasPrefix("/"), isFirstWord {
            let name = lowered.dropFirst()
            return self.commands.filter { $0.hasPrefix(name) }.sorted().map { "/" + $0 }
        }
        if word.hasPrefix(":"), word.count >= 2 {
            let prefix = String(lowered.dropFirst())
            let favourites = Self.favouriteEmoji.filter { $0.hasPrefix(prefix) && self.emoji.emoji(for: $0) != nil }
            let others = self.emoji.shortcodes.filter { $0.hasPrefix(prefix) && !favourites.contains($0) }
                .sorted { ($0.count, $0) < ($1.count, $1) }
            return (favourites + others).prefix(50).map { ":\($0):" }
        }
        return self.nicknames.filter { $0.lowercased().hasPrefix(lowered) }.sorted()
    }
}
