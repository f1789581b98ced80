/// How a command presents itself: the single source for dispatch, `/help` and usage errors.
public struct CommandDescriptor: Sendable, Equatable {
    /// The name typed after the slash, lower-case.
    public let name: String
    /// Other names that run the same command.
    public let aliases: [String]
    /// The argument hint, e.g. `NICK TEXT` (empty when the command takes none).
    public let usage: String
    /// One line for `/help`.
    public let summary: String
    /// Whether the command also runs before its caller has joined (while the nickname question is open), through
    /// ``ChatCommand/runBeforeJoining(_:on:)``. Only commands about the connection itself make sense then.
    public let isAvailableBeforeJoining: Bool

    public init(
        name: String,
        aliases: [String] = [],
        usage: String = "",
        summary: String,
        isAvailableBeforeJoining: Bool = false
    ) {
        self.name = name
        self.aliases = aliases
        self.usage = usage
        self.summary = summary
        self.isAvailableBeforeJoining = isAvailableBeforeJoining
    }

    /// `/name USAGE`, as shown in help and usage errors.
    public var synopsis: String {
        self.usage.isEmpty ? "/\(self.name)" : "/\(self.name) \(self.usage)"
    }
}
