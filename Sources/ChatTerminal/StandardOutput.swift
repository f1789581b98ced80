import Foundation

/// Writes to stdout without C's buffering, so a line is visible at once even when stdout is a pipe
/// (scripts and tests wait for the `listening on` line).
public enum StandardOutput {
    /// Writes `text` and a newline.
    public static func writeLine(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
