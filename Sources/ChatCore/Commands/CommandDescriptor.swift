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

    public init(name: String, aliases: [String] = [], usage: String = "", summary: String) {
        self.name = name
        self.aliases = aliases
        self.usage = usage
        self.summary = summary
    }

    /// `/name USAGE`, as shown in help and usage errors.
    public var synopsis: String {
        self.usage.isEmpty ? "/\(self.name)" : "/\(self.name) \(self.usage)"
    }
}
