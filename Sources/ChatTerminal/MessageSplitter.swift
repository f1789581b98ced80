import ChatProtocol

/// Splits a typed line that is over the server's line cap into messages that fit, so a long paste arrives whole,
/// in order, as several messages, instead of being refused by the server.
///
/// Only chat text is split, at the last space that fits (or between characters, for a word longer than the cap).
/// A command is not: `/msg bob …` cut in two would send its second half to the room, so an over-long command is
/// refused with a note instead.
public enum MessageSplitter {
    /// The server's cap on one line, in bytes.
    public static let maximumBytes = LineDecoder.maximumLineLength

    /// What to send for `line`.
    public enum Outcome: Sendable, Equatable {
        /// Send these lines, in order (one, when the line fits).
        case send([String])
        /// A command over the cap: send nothing.
        case commandTooLong
    }

    public static func split(_ line: String, maximumBytes: Int = Self.maximumBytes) -> Outcome {
        guard line.utf8.count > maximumBytes else { return .send([line]) }
        if line.hasPrefix("/") { return .commandTooLong }
        var parts: [String] = []
        var rest = Substring(line)
        while rest.utf8.count > maximumBytes {
            let cut = Self.cutIndex(in: rest, maximumBytes: maximumBytes)
            parts.append(String(rest[..<cut]))
            rest = rest[cut...].drop { $0 == " " }
        }
        if !rest.isEmpty { parts.append(String(rest)) }
        return .send(parts)
    }

    /// Where to cut `text` so that the part before fits: after the last space within the cap, or else at the last
    /// whole character that fits.
    private static func cutIndex(in text: Substring, maximumBytes: Int) -> Substring.Index {
        var bytes = 0
        var lastFit = text.startIndex
        var lastSpace: Substring.Index?
        for index in text.indices {
            let size = text[index].utf8.count
            if bytes + size > maximumBytes { break }
            bytes += size
            if text[index] == " " { lastSpace = index }
            lastFit = text.index(after: index)
        }
        if let lastSpace, lastSpace > text.startIndex { return lastSpace }
        // A single character over the cap (impossible for real text) still moves on.
        return lastFit > text.startIndex ? lastFit : text.index(after: text.startIndex)
    }
}
