import ChatProtocol

/// One console command as a value, as chat commands are (``CommandDescriptor``): the words that start it, what it
/// takes, what `help` says of it, and what it does. `help`, every usage answer and the "takes no arguments" refusal
/// come from the one table (``AdminConsole/commands``), so they cannot disagree.
struct ConsoleCommand: Sendable {
    /// What follows the command word.
    enum Arguments: Sendable, Equatable {
        /// Nothing: `who cares about this` is refused, not taken for `who`.
        case none
        /// A name first (a nickname or an address, refused when it holds control characters), then free words;
        /// `hint` is how help shows them, like `NICK [REASON]`.
        case target(hint: String)
        /// Free text, like `say`'s.
        case text(hint: String)
    }

    /// One console line, split for a command.
    struct Input: Sendable {
        /// The line's text with nothing marked (what an announcement would say).
        let text: String
        /// For ``Arguments/text(hint:)``: the text after the command word.
        let argumentText: String
        /// For ``Arguments/target(hint:)``: the name, checked to hold nothing the sanitizer removes.
        let target: String
        /// For ``Arguments/target(hint:)``: the words after the name, cleaned (a reason, a duration).
        let rest: String
    }

    /// The command word, then its other names (`who` is also `users`).
    let words: [String]
    let arguments: Arguments
    /// What `help` says, one line or several.
    let summary: [String]
    let action: @Sendable (AdminConsole, Input) async -> AdminConsole.Outcome

    var name: String { self.words[0] }

    /// `kick NICK [REASON]`: the command as `help` and `usage:` show it.
    var synopsis: String {
        switch self.arguments {
        case .none: self.name
        case .target(let hint), .text(let hint): "\(self.name) \(hint)"
        }
    }

    /// `usage: kick NICK [REASON]`.
    var usage: String { "usage: " + self.synopsis }
}

extension AdminConsole {
    /// Where help's summaries start: after the widest synopsis that fits.
    private static let summaryColumn = 30

    /// Help's text, made from ``commands``.
    static func helpText(for commands: [ConsoleCommand]) -> String {
        var lines = ["Console commands:"] + Self.helpEntry("TEXT", ["announce TEXT to everyone as \"* server: TEXT\""])
        for command in commands {
            let names = command.words.dropFirst()
            let synopsis = command.synopsis + (names.isEmpty ? "" : "  (or " + names.joined(separator: ", ") + ")")
            lines += Self.helpEntry(synopsis, command.summary)
        }
        return lines.joined(separator: "\n")
    }

    /// One entry of help: the synopsis, then its summary in a column (below it when the synopsis is too wide).
    private static func helpEntry(_ synopsis: String, _ summary: [String]) -> [String] {
        let indent = String(repeating: " ", count: Self.summaryColumn)
        let head = "  " + synopsis
        guard head.count < Self.summaryColumn, let first = summary.first else {
            return [head] + summary.map { indent + $0 }
        }
        return [head + String(repeating: " ", count: Self.summaryColumn - head.count) + first]
            + summary.dropFirst().map { indent + $0 }
    }
}
