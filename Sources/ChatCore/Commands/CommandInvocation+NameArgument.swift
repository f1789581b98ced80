import ChatProtocol

extension CommandInvocation {
    /// What a name argument may not hold, said once for every command that takes one.
    static let cleanedNameError = CommandError.failed(
        "Names cannot contain control characters, escape sequences or invisible formatting characters."
    )

    /// True when the sanitizer removed anything from the arguments as typed.
    public var containsRemovedCharacters: Bool {
        Sanitizer.containsMarker(self.markedArguments)
    }

    /// The first word when it names something (a nickname, a room): exactly as typed, or an error when the
    /// sanitizer had to remove anything from it, so a name is never silently turned into a different one.
    /// Nil when there are no arguments.
    public func nameArgument() throws(CommandError) -> String? {
        let marked = Substring(self.markedArguments)
        let first = marked.prefix(while: { $0 != " " && $0 != "\t" })
        if first.unicodeScalars.contains(Sanitizer.removalMarker) { throw Self.cleanedNameError }
        return first.isEmpty ? nil : String(first)
    }
}
