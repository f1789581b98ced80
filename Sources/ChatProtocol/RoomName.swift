/// A validated room name such as `#main`: `#` followed by 1-32 ASCII letters, digits, `_`, `-` or `.`.
///
/// Users may type the name with or without the `#`. Rooms compare case-insensitively, like nicknames.
public struct RoomName: Sendable, Hashable, CustomStringConvertible {
    /// The room everyone starts in.
    public static let lobby = RoomName(unchecked: "#main")

    /// The name as first created, with its `#`.
    public let name: String
    /// The case-folded form used for look-up.
    public var key: String { self.name.lowercased() }
    public var description: String { self.name }

    /// Why a proposed room name was refused.
    public struct ValidationError: Error, CustomStringConvertible {
        public var description: String {
            "a room name is '#' and 1-32 letters, digits, '_', '-' or '.', like #games"
        }
    }

    /// Validates a room name as typed; a missing leading `#` is added.
    public init(validating candidate: String) throws(ValidationError) {
        let bare = candidate.hasPrefix("#") ? String(candidate.dropFirst()) : candidate
        // Room names follow the nickname rules (minus the reserved words).
        guard !bare.isEmpty, bare.utf8.count <= Nickname.maximumLength,
            bare.unicodeScalars.allSatisfy(Nickname.isAllowed)
        else {
            throw ValidationError()
        }
        self.name = "#" + bare
    }

    private init(unchecked name: String) {
        self.name = name
    }

    public static func == (lhs: RoomName, rhs: RoomName) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.key) }
}
