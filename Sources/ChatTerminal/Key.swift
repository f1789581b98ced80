/// One key press, decoded from the terminal's bytes.
public enum Key: Sendable, Equatable {
    case character(Character)
    case enter
    case backspace
    case delete
    case left
    case right
    case up
    case down
    case home
    case end
    case tab
    /// Ctrl plus a letter (lower-case), for the Emacs-style editing keys and Ctrl-C / Ctrl-D.
    case control(Character)
    /// Alt-Backspace / Ctrl-W style word deletion arrives as `.control("w")`; anything unrecognised is ignored.
    case unknown
}
