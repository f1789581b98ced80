import ChatProtocol

/// Renders server events as lines for a terminal, after stripping anything that could drive the terminal:
/// the client trusts the server no more than the server trusts its users.
public enum EventRenderer {
    /// The lines to print for `event`.
    public static func lines(for event: ChatEvent) -> [String] {
        switch event.kind {
        case .mode:
            return []
        default:
            return event.plainLines.map(Sanitizer.clean)
        }
    }
}
