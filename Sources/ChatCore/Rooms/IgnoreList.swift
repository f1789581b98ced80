import ChatProtocol

/// The nicknames one user does not want to hear, and the rules for changing them.
///
/// Kept by nickname (``Nickname/key``), not by session: a troll who reconnects under the same name stays ignored.
struct IgnoreList {
    /// The most nicknames one user may ignore: `/ignore` lists them in one line.
    static let maximum = 100

    private var keys: Set<String> = []

    /// Whether nobody is ignored: fan-out then skips the per-sender check.
    var isEmpty: Bool { self.keys.isEmpty }

    /// How many nicknames are ignored.
    var count: Int { self.keys.count }

    /// The ignored nicknames' keys, sorted, as `/ignore` lists them.
    var sorted: [String] { self.keys.sorted() }

    /// Whether the nickname with this key is ignored.
    func contains(_ key: String) -> Bool {
        self.keys.contains(key)
    }

    /// Ignores `name` from now on, for a user called `own`; returns the nickname it names.
    /// - Throws: the refusal the user reads, for an invalid nickname, themselves, a repeat or a full list.
    mutating func add(_ name: String, by own: Nickname) throws(CommandError) -> Nickname {
        guard let nickname = try? Nickname(validating: name) else {
            throw .failed("\"\(Sanitizer.clean(name))\" is not a valid nickname.")
        }
        if nickname == own {
            throw .failed("You cannot ignore yourself.")
        }
        guard !self.keys.contains(nickname.key) else {
            throw .failed("You are already ignoring \(nickname).")
        }
        guard self.keys.count < Self.maximum else {
            throw .failed("You are ignoring \(Self.maximum) people, the most there can be; /unignore someone first.")
        }
        self.keys.insert(nickname.key)
        return nickname
    }

    /// Hears `name` (any case) again; returns the key it was kept under.
    /// - Throws: the refusal the user reads when `name` is not ignored.
    mutating func remove(_ name: String) throws(CommandError) -> String {
        let key = name.lowercased()
        guard self.keys.remove(key) != nil else {
            throw .failed("You are not ignoring \(Sanitizer.clean(name)).")
        }
        return key
    }

    /// Adds the list kept with an account at login, cut to ``maximum``.
    mutating func restore(_ kept: [String]) {
        self.keys.formUnion(kept.prefix(Self.maximum))
    }

    /// Follows someone who was ignored under `old` to `new`: ignoring follows the person, not the old name.
    mutating func follow(_ old: Nickname, to new: Nickname) {
        if self.keys.remove(old.key) != nil {
            self.keys.insert(new.key)
        }
    }
}
