/// `/eyes` (the seeds' `/xeyes/`): a pair of eyes glancing at whoever spoke last.
public enum EyesArt {
    /// Where the eyes look.
    public enum Gaze: Sendable, Equatable {
        case left
        case straight
        case right
    }

    /// The eyes looking `gaze`, with a caption under them.
    public static func lines(gaze: Gaze, caption: String) -> [String] {
        let eye: String
        switch gaze {
        case .left: eye = "|o  |"
        case .straight: eye = "| o |"
        case .right: eye = "|  o|"
        }
        return [
            "  .---.  .---.",
            "  \(eye)  \(eye)",
            "  '---'  '---'",
            "  \(caption)",
        ]
    }
}
