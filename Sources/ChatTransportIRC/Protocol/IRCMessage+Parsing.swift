/// Reading one line (without its line end) into an ``IRCMessage``.
extension IRCMessage {
    /// Why a line is not a message.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// Nothing but spaces (clients may send blank lines; the door ignores them).
        case empty
        /// Tags longer than ``IRCMessage/maximumClientTagsLength``.
        case tagsTooLong
        /// The message without its tags is longer than ``IRCMessage/maximumBodyLength`` (417 ERR_INPUTTOOLONG).
        case bodyTooLong
        /// No command after the tags and source.
        case missingCommand
        /// A command that is neither letters nor three digits.
        case invalidCommand(String)
        /// A NUL, CR or LF inside the line.
        case forbiddenCharacter

        public var description: String {
            switch self {
            case .empty: "empty line"
            case .tagsTooLong: "message tags too long"
            case .bodyTooLong: "line too long"
            case .missingCommand: "no command"
            case .invalidCommand(let command): "invalid command \(command)"
            case .forbiddenCharacter: "NUL, CR or LF inside a line"
            }
        }
    }

    /// Parses `line`. Lenient where clients differ (several spaces between parameters, a source from a client),
    /// strict where it matters: sizes, NUL/CR/LF, and the shape of the command.
    public init(parsing line: String) throws(ParseError) {
        try self.init(parsing: Array(line.utf8))
    }

    /// Parses the bytes of one line. IRC is bytes: spaces split words whatever follows them, and text that is not
    /// UTF-8 is read with replacement characters.
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        let space = UInt8(ascii: " ")
        let colon = UInt8(ascii: ":")
        guard !bytes.contains(where: { $0 == 0 || $0 == 0x0D || $0 == 0x0A }) else { throw .forbiddenCharacter }
        var rest = bytes[...]
        rest = rest.drop { $0 == space }
        guard !rest.isEmpty else { throw .empty }
        var tags: [Tag] = []
        if rest.first == UInt8(ascii: "@") {
            let section = Self.word(&rest).dropFirst()
            guard section.count <= Self.maximumClientTagsLength else { throw .tagsTooLong }
            tags = Self.tags(section)
            rest = rest.drop { $0 == space }
        }
        guard rest.count <= Self.maximumBodyLength else { throw .bodyTooLong }
        var source: String?
        if rest.first == colon {
            source = String(decoding: Self.word(&rest).dropFirst(), as: UTF8.self)
            rest = rest.drop { $0 == space }
        }
        let command = Self.word(&rest)
        guard !command.isEmpty else { throw .missingCommand }
        let isNumeric = command.count == 3 && command.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        let isVerb = command.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        guard isNumeric || isVerb else { throw .invalidCommand(String(decoding: command, as: UTF8.self)) }
        var parameters: [String] = []
        while true {
            rest = rest.drop { $0 == space }
            guard !rest.isEmpty else { break }
            if rest.first == colon || parameters.count == Self.maximumParameters - 1 {
                // The trailing parameter: the rest of the line, spaces and all.
                parameters.append(String(decoding: rest.first == colon ? rest.dropFirst() : rest, as: UTF8.self))
                break
            }
            parameters.append(String(decoding: Self.word(&rest), as: UTF8.self))
        }
        self.init(
            tags: tags,
            source: source,
            command: String(decoding: command, as: UTF8.self).uppercased(),
            parameters: parameters
        )
    }

    /// The tags of `section` (without the `@`), values unescaped; a key seen twice keeps its last value.
    private static func tags(_ section: ArraySlice<UInt8>) -> [Tag] {
        var tags: [Tag] = []
        for item in section.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
            let key: String
            var value: String?
            if let equals = item.firstIndex(of: UInt8(ascii: "=")) {
                key = String(decoding: item[..<equals], as: UTF8.self)
                value = Self.unescape(String(decoding: item[(equals + 1)...], as: UTF8.self)[...])
            } else {
                key = String(decoding: item, as: UTF8.self)
            }
            guard !key.isEmpty else { continue }
            // IRCv3: an empty value is the same as none.
            if value == "" { value = nil }
            if let index = tags.firstIndex(where: { $0.key == key }) {
                tags[index].value = value
            } else {
                tags.append(Tag(key, value))
            }
        }
        return tags
    }

    /// A tag value as IRCv3 escapes it: `\:` is `;`, `\s` a space, `\\` a backslash, `\r` and `\n` CR and LF; any
    /// other escaped character is itself, and a lone backslash at the end is dropped.
    static func unescape(_ escaped: Substring) -> String {
        guard escaped.contains("\\") else { return String(escaped) }
        var result = String.UnicodeScalarView()
        var isEscaping = false
        for scalar in escaped.unicodeScalars {
            if isEscaping {
                switch scalar {
                case ":": result.append(";")
                case "s": result.append(" ")
                case "r": result.append("\r")
                case "n": result.append("\n")
                default: result.append(scalar)
                }
                isEscaping = false
            } else if scalar == "\\" {
                isEscaping = true
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Takes the next space-separated word off `rest`.
    private static func word(_ rest: inout ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let end = rest.firstIndex(of: UInt8(ascii: " ")) ?? rest.endIndex
        let word = rest[..<end]
        rest = rest[end...]
        return word
    }
}
