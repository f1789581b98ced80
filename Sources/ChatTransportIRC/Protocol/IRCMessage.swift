/// One IRC message, as RFC 1459/2812 and IRCv3's message tags shape it:
/// `[@tag=value;tag SPACE] [:source SPACE] COMMAND [param …] [:trailing param]`.
///
/// A value, pure and `Sendable`: the door parses each line it reads into one (``init(parsing:)``) and serialises
/// each one it writes (``line``), so the IRC dialect lives here and nowhere else.
public struct IRCMessage: Sendable, Equatable {
    /// The tags, in the order they came (`time`, `msgid`, …).
    public var tags: [Tag]
    /// Who it is from (`nick!user@host` or a server name); nil from clients.
    public var source: String?
    /// The verb (`PRIVMSG`, upper-cased) or a three-digit numeric (`001`).
    public var command: String
    public var parameters: [String]

    /// One message tag: `key` or `key=value` (the value unescaped).
    public struct Tag: Sendable, Equatable {
        public var key: String
        public var value: String?

        public init(_ key: String, _ value: String? = nil) {
            self.key = key
            self.value = value
        }
    }

    public init(tags: [Tag] = [], source: String? = nil, command: String, parameters: [String] = []) {
        self.tags = tags
        self.source = source
        self.command = command
        self.parameters = parameters
    }

    /// The longest message without its tags and line end (RFC 1459's 512 bytes, minus CR LF).
    public static let maximumBodyLength = 510
    /// The longest tag section a client may send (IRCv3: 4094 bytes, without the `@` and the space).
    public static let maximumClientTagsLength = 4094
    /// The most parameters a message has (RFC 2812).
    public static let maximumParameters = 15
}
