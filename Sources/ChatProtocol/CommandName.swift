/// What a command may be called: the rule plugins are loaded by and the client completes by.
public enum CommandName {
    /// Lower-case letters, digits, `_` and `-`, starting with a letter or digit, at most 32.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 32 else { return false }
        let allowed: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return allowed(first) && name.unicodeScalars.allSatisfy { allowed($0) || $0 == "_" || $0 == "-" }
    }
}
