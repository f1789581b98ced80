/// A command failed in a way the caller should hear about, as one `! ` line.
public enum CommandError: Error, Equatable, CustomStringConvertible {
    /// The arguments do not fit the command; the message shows its synopsis.
    case usage(CommandDescriptor)
    /// Anything else, already phrased for the user.
    case failed(String)

    public var description: String {
        switch self {
        case .usage(let descriptor):
            "Usage: \(descriptor.synopsis) - \(descriptor.summary)"
        case .failed(let message):
            message
        }
    }
}
