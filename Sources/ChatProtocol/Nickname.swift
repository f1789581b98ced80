/// A validated nickname: 1-32 ASCII letters, digits, `_`, `-` or `.`.
///
/// ASCII only, on purpose: look-alike letters from other scripts would let one person pass for another,
/// and every terminal measures these characters the same way. Comparison is case-insensitive
/// (``key``), display keeps the case the user chose.
public struct Nickname: Sendable, Hashable, CustomStringConvertible {
    /// The longest nickname accepted.
    public static let maximumLength = 32
    /// Names nobody may take, because the server itself speaks under them.
    static let reserved: Set<String> = ["server"]

    /// The nickname as the user typed it.
    public let name: String
    /// The case-folded form used for uniqueness and look-up.
    public var key: String { self.name.lowercased() }
    public var description: String { self.name }

    /// Why a proposed nickname was refused.
    public enum ValidationError: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong
        case invalidCharacters
        case reserved

        public var description: String {
            switch self {
            case .empty:
                "a nickname cannot be empty"
            case .tooLong:
                "a nickname has at most \(Nickname.maximumLength) characters"
            case .invalidCharacters:
                "use only letters, digits, '_', '-' and '.' (no spaces)"
            case .reserved:
                "that name is reserved"
            }
        }
    }

    /// Validates `candidate` exactly as typed: nothing is trimmed or cleaned, so a name containing control
    /// characters is refused rather than silently changed.
    public init(validating candidate: String) throws(ValidationError) {
        if candidate.isEmpty { throw .empty }
        guard candidate.unicodeScalars.allSatisfy(Self.isAllowed) else { throw .invalidCharacters }
        if candidate.utf8.count > Self.maximumLength { throw .tooLong }
        if Self.reserved.contains(candidate.lowercased()) { throw .reserved }
        self.name = candidate
    }

    /// True when `candidate` could be a nickname (a cheap check before a store look-up).
    public static func isPlausible(_ candidate: String) -> Bool {
        (try? Nickname(validating: candidate)) != nil
    }

    /// The characters nicknames and room names are made of.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": true
        default: false
        }
    }

    public static func == (lhs: Nickname, rhs: Nickname) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.key) }
}
