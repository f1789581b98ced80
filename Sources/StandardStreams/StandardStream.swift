#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// stdout or stderr, written without C's buffering, so a line is visible at once even through a pipe (scripts and
/// tests wait for the `listening on` line).
///
/// A closed pipe is an answer, not a crash: `client … | head -1` closes stdout after one line, and a program whose
/// reader has gone should stop quietly. Foundation's `FileHandle.write` traps on EPIPE, so this writes with
/// `write(2)` and reports whether the bytes went out.
public struct StandardStream: Sendable {
    /// The process's stdout.
    public static let output = StandardStream(descriptor: STDOUT_FILENO)
    /// The process's stderr.
    public static let error = StandardStream(descriptor: STDERR_FILENO)

    private let descriptor: Int32

    /// Writes `text` and a newline. False once nobody reads the stream any more.
    @discardableResult
    public func writeLine(_ text: String) -> Bool {
        self.write(text + "\n")
    }

    /// Writes every byte of `text`, retrying short writes and EINTR. False on any other failure (EPIPE: the reader
    /// has gone).
    @discardableResult
    public func write(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(self.descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}

/// Ignores SIGPIPE, so that writing to a closed pipe fails with EPIPE (which ``StandardStream`` reports) instead of
/// killing the process. Call once at start-up.
public func ignoreBrokenPipes() {
    _ = signal(SIGPIPE, SIG_IGN)
}
