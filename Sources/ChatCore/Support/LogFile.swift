#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// An append-only log file that swift-log's `StreamLogHandler` can write to, from any thread.
public final class LogFile: Sendable {
    private let descriptor: Mutex<Int32>

    /// Opens (creating if needed) `path` for appending.
    public init(path: String) throws(LogFileError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw LogFileError(path: path, errno: errno) }
        self.descriptor = Mutex(fd)
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
