/// One member of a room as NAMES and WHO list them: the nickname, the away message, and the member's standing.
public struct RoomMember: Sendable, Equatable {
    public var nickname: String
    public var away: String?
    public var isOperator = false
    public var isVoiced = false

    public init(nickname: String, away: String? = nil, isOperator: Bool = false, isVoiced: Bool = false) {
        self.nickname = nickname
        self.away = away
        self.isOperator = isOperator
        self.isVoiced = isVoiced
    }

    /// `@+`, `@`, `+` or nothing: IRC's prefixes, the highest first; `all` false keeps only the highest (clients
    /// that did not ask for `multi-prefix` expect one).
    public func prefixes(all: Bool) -> String {
        let prefixes = (self.isOperator ? "@" : "") + (self.isVoiced ? "+" : "")
        return all ? prefixes : String(prefixes.prefix(1))
    }
}
