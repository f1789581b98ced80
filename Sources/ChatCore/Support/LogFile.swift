import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only log file that swift-log's `StreamLogHandler` can write to, from any thread.
///
/// ``reopen()`` (the server calls it on SIGHUP) starts writing to whatever file is at the path now, so logrotate
/// can move the old file away without losing a line or restarting the server.
public final class LogFile: Sendable {
    /// Where the log goes.
    public let path: String
    private let descriptor: Mutex<Int32>

    /// Opens (creating if needed) `path` for appending.
    public init(path: String) throws(LogFileError) {
        self.path = path
        self.descriptor = Mutex(try Self.open(path))
    }

    /// Closes the file and opens `path` again, creating it if it was moved away. On failure the old file stays in
    /// use, so the log is never lost.
    public func reopen() throws(LogFileError) {
        let fresh = try Self.open(self.path)
        let old = self.descriptor.withLock { descriptor in
            defer { descriptor = fresh }
            return descriptor
        }
        _ = close(old)
    }

    private static func open(_ path: String) throws(LogFileError) -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw LogFileError(path: path, errno: errno) }
        return fd
    }

    deinit {
        self.descriptor.withLock { _ = close($0) }
    }

    /// Appends `text` in one `write` call, so lines from different threads do not interleave.
    func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            self.descriptor.withLock { fd in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { return }
                    offset += written
                }
            }
        }
    }

    /// A `TextOutputStream` view of the file for `StreamLogHandler`.
    public var stream: some TextOutputStream & Sendable {
        Stream(file: self)
    }

    private struct Stream: TextOutputStream, Sendable {
        let file: LogFile
        mutating func write(_ string: String) {
            self.file.write(string)
        }
    }
}

/// The log file could not be opened.
public struct LogFileError: Error, CustomStringConvertible {
    public let path: String
    public let errno: Int32
    public var description: String {
        "cannot open log file \(self.path): \(String(cString: strerror(self.errno)))"
    }
}
