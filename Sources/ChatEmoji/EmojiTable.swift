import EmojiData

/// GitHub-style emoji shortcodes (`:tada:` → 🎉), from the generated table in the `EmojiData` target.
public struct EmojiTable: Sendable {
    /// The table built from the generated data, parsed once on first use.
    public static let standard = EmojiTable(source: EmojiData.shortcodeTable)

    /// Shortcode (lower-case, without colons) → emoji.
    private let emojiByShortcode: [String: String]
    /// All shortcodes, sorted, for listing, searching and completion.
    public let shortcodes: [String]

    /// Parses `shortcode<TAB>emoji` lines.
    init(source: String) {
        var table: [String: String] = [:]
        var names: [String] = []
        for line in source.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let name = String(line[..<tab])
            table[name] = String(line[line.index(after: tab)...])
            names.append(name)
        }
        self.emojiByShortcode = table
        self.shortcodes = names.sorted()
    }

    /// The emoji for `shortcode` (without colons, any case), if there is one.
    public func emoji(for shortcode: some StringProtocol) -> String? {
        self.emojiByShortcode[shortcode.lowercased()]
    }

    /// Shortcodes containing `word`, with their emoji: exact match first, then short names before long ones, and
    /// skin-tone variants last unless the search asks for them.
    public func search(_ word: String) -> [(shortcode: String, emoji: String)] {
        let needle = word.lowercased().trimmingCharacters(in: ":")
        let wantsTones = needle.contains("tone")
        // Tuples compare lexicographically; Bool is not Comparable, hence the 0/1. Keys are built once per name.
        return self.shortcodes
            .filter { needle.isEmpty || $0.contains(needle) }
            .map { name in
                (
                    key: (name == needle ? 0 : 1, !wantsTones && name.contains("skin_tone") ? 1 : 0, name.count),
                    name: name
                )
            }
            .sorted { ($0.key.0, $0.key.1, $0.key.2, $0.name) < ($1.key.0, $1.key.1, $1.key.2, $1.name) }
            .map(\.name)
            .map { ($0, self.emojiByShortcode[$0]!) }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(self.drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}
