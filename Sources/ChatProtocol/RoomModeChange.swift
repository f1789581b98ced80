/// One change of a room's modes, as IRC's MODE names them: `+o bob` makes bob an operator, `-v bob` takes bob's voice,
/// `+t` locks the topic so only operators set it.
public struct RoomModeChange: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable {
        /// An operator (IRC's `@`): sets the topic of a locked room, changes modes.
        case `operator` = "o"
        /// A voiced member (IRC's `+`): shown so; slashchat rooms are never moderated, so it grants nothing else.
        case voice = "v"
        /// `+t`: only operators set the topic.
        case topicLock = "t"

        /// Whether the mode is about a member (`o`, `v`) rather than the room.
        public var takesNickname: Bool { self != .topicLock }
    }

    public var adding: Bool
    public var mode: Mode
    /// The member it is about, for `o` and `v`.
    public var nickname: String?

    public init(adding: Bool, mode: Mode, nickname: String? = nil) {
        self.adding = adding
        self.mode = mode
        self.nickname = nickname
    }

    /// `+o`, `-t`: the change as IRC writes it, without its argument.
    public var flag: String { (self.adding ? "+" : "-") + self.mode.rawValue }

    /// The change in words, after who made it: `made bob an operator of #a`.
    public func words(in room: String) -> String {
        let nickname = self.nickname ?? "?"
        switch (self.mode, self.adding) {
        case (.operator, true): return "made \(nickname) an operator of \(room)"
        case (.operator, false): return "took operator status in \(room) from \(nickname)"
        case (.voice, true): return "gave \(nickname) a voice in \(room)"
        case (.voice, false): return "took the voice in \(room) from \(nickname)"
        case (.topicLock, true): return "locked the topic of \(room) (only operators set it)"
        case (.topicLock, false): return "unlocked the topic of \(room) (anyone in it sets it)"
        }
    }
}
