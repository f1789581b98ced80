/// WHO's optional second parameter in WHOX form (`%tcuihsnfdlaor,123`): which fields a 354 reply carries, and the
/// token that comes back with them. Without it, WHO answers with classic 352 replies.
public struct IRCWhoQuery: Sendable, Equatable {
    /// Every field WHOX knows, in the order a 354 reply carries them whatever order they were asked in.
    public static let fieldOrder: [Character] = Array("tcuihsnfdlaor")

    /// The fields asked for, in ``fieldOrder``.
    public var fields: [Character]
    /// The query type the client echoes back (`t`), at most three digits; "0" when none was given.
    public var token: String

    /// Reads `%fields[,token]`; nil for anything else (then WHO answers as without it).
    public init?(_ parameter: String) {
        guard parameter.hasPrefix("%") else { return nil }
        let parts = parameter.dropFirst().split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        let asked = Set(parts.first ?? "")
        self.fields = Self.fieldOrder.filter { asked.contains($0) }
        let token = parts.count > 1 ? String(parts[1]) : ""
        self.token = !token.isEmpty && token.count <= 3 && token.allSatisfy(\.isASCIIDigit) ? token : "0"
    }

    /// What one user answers with: the value of each field asked for, in order.
    public func values(_ value: (Character) -> String) -> [String] {
        self.fields.map { $0 == "t" ? self.token : value($0) }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}
