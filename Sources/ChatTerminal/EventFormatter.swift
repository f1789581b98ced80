import ChatProtocol
import Foundation

/// Turns server events into the lines the terminal client prints: timestamps, coloured nicknames, distinct styles for
/// notices, errors and private messages, and mentions of me highlighted (with a bell).
///
/// Everything from the server is sanitised before our own escape codes are added: a hostile or buggy server cannot
/// drive the terminal either.
public struct EventFormatter: Sendable {
    /// The printable result.
    public struct Output: Sendable, Equatable {
        public var lines: [String]
        /// Ring the terminal bell: a private message or a mention of me.
        public var bell: Bool
    }

    public let style: TerminalStyle
    /// Show `HH:MM` before chat lines.
    public let showsTimestamps: Bool

    public init(style: TerminalStyle, showsTimestamps: Bool = true) {
        self.style = style
        self.showsTimestamps = showsTimestamps
    }

    /// The lines for `event`, as seen by `myNickname`.
    public func format(_ event: ChatEvent, myNickname: String) -> Output {
        let text = Sanitizer.clean(event.text)
        let from = Sanitizer.clean(event.from ?? "?")
        // Replayed history is marked, so it is never mistaken for what is said now, and never rings the bell.
        let isHistory = event.history == true
        let stamp =
            (self.showsTimestamps ? self.style.dim(Self.clock(event.time)) + " " : "")
            + (isHistory ? self.style.dim("[history] ") : "")
        switch event.kind {
        case .message:
            let mentioned =
                !isHistory && from.lowercased() != myNickname.lowercased() && Self.mentions(text, myNickname)
            let body = "<\(self.style.nickname(from))> " + (mentioned ? self.style.mention(text) : text)
            return Output(lines: [stamp + body], bell: mentioned)
        case .action:
            let mentioned =
                !isHistory && from.lowercased() != myNickname.lowercased() && Self.mentions(text, myNickname)
            let body = "* \(self.style.nickname(from)) " + (mentioned ? self.style.mention(text) : text)
            return Output(lines: [stamp + body], bell: mentioned)
        case .privateMessage:
            if let to = event.to {
                return Output(
                    lines: [stamp + self.style.privateMessage("[PM to \(Sanitizer.clean(to))] ") + text],
                    bell: false
                )
            }
            let label =
                self.style.privateMessage("[PM from ") + self.style.nickname(from) + self.style.privateMessage("]")
            return Output(lines: [stamp + label + " " + text], bell: !isHistory)
        case .error:
            return Output(lines: [self.style.error("! " + text)], bell: false)
        case .welcome:
            return Output(lines: [self.style.welcome("* " + text)], bell: false)
        case .block:
            let header = stamp + self.style.dim("* " + text)
            return Output(lines: [header] + (event.lines ?? []).map(Sanitizer.clean), bell: false)
        case .notice, .prompt:
            return Output(lines: [self.style.dim("* ") + text], bell: false)
        case .mode:
            return Output(lines: [], bell: false)
        }
    }

    /// True when `text` names `nickname` as a whole word, ignoring case.
    static func mentions(_ text: String, _ nickname: String) -> Bool {
        guard !nickname.isEmpty else { return false }
        let lowered = text.lowercased()
        let target = nickname.lowercased()
        var searchStart = lowered.startIndex
        while let range = lowered.range(of: target, range: searchStart..<lowered.endIndex) {
            let before = range.lowerBound == lowered.startIndex ? nil : lowered[lowered.index(before: range.lowerBound)]
            let after = range.upperBound == lowered.endIndex ? nil : lowered[range.upperBound]
            let isBoundary: (Character?) -> Bool = { character in
                guard let character else { return true }
                return !(character.isLetter || character.isNumber || character == "_" || character == "-")
            }
            if isBoundary(before), isBoundary(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    /// `HH:MM` in local time, from the server's timestamp or now.
    static func clock(_ milliseconds: Int64?) -> String {
        let date = milliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? Date()
        let components = Calendar.current.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", components.hour ?? 0, components.minute ?? 0)
    }
}
