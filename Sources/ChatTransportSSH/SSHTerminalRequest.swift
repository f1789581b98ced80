import NIOSSH

/// The terminal an SSH client asked for (`pty-req`): what the screen needs of it.
struct SSHTerminalRequest: Sendable, Equatable {
    /// The width in columns (0 when the client does not say).
    var columns: Int
    /// The client's `TERM`.
    var term: String

    init(columns: Int, term: String) {
        self.columns = columns
        self.term = term
    }

    init(_ request: SSHChannelRequestEvent.PseudoTerminalRequest) {
        self.init(columns: request.terminalCharacterWidth, term: request.term)
    }

    /// Whether to colour: every terminal but a `dumb` one (or one that names none).
    var takesColours: Bool {
        !self.term.isEmpty && self.term != "dumb"
    }
}
