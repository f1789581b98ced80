#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to stdout without C's buffering, so a line is visible at once even when stdout is a pipe
/// (scripts and tests wait for the `listening on` line).
///
/// A closed pipe is an answer, not a crash: `client … | head -1` closes stdout after one line, and a program whose
/// reader has gone should stop quietly. Foundation's `FileHandle.write` traps on EPIPE, so this writes with
/// `write(2)` and reports whether the bytes went out.
public enum StandardOutput {
    /// Writes `text` and a newline. False once nobody reads stdout any more.
    @discardableResult
    public static func writeLine(_ text: String) -> Bool {
        Self.write(text + "\n")
    }

    /// Writes `text` as it is. False once nobody reads stdout any more.
    @discardableResult
    public static func write(_ text: String) -> Bool {
        writeAll(text, to: STDOUT_FILENO)
    }
}

/// stderr, with the same rules as ``StandardOutput``.
public enum StandardError {
    /// Writes `text` and a newline. False once nobody reads stderr any more.
    @discardableResult
    public static func writeLine(_ text: String) -> Bool {
        Self.write(text + "\n")
    }

    /// Writes `text` as it is. False once nobody reads stderr any more.
    @discardableResult
    public static func write(_ text: String) -> Bool {
        writeAll(text, to: STDERR_FILENO)
    }
}

/// Ignores SIGPIPE, so that writing to a closed pipe fails with EPIPE (which the writers above report) instead of
/// killing the process. Call once at start-up.
public func ignoreBrokenPipes() {
    _ = signal(SIGPIPE, SIG_IGN)
}

/// Writes every byte of `text` to `descriptor`, retrying short writes and EINTR. False on any other failure (EPIPE:
/// the reader has gone).
private func writeAll(_ text: String, to descriptor: Int32) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
