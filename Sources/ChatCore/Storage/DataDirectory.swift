import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--data-dir`: the store (private messages, password hashes) and the TLS key live here, so only the server's user
/// may enter it.
public enum DataDirectory {
    /// Creates `path` (and its parents) with mode 0700 when missing; a directory readable or enterable by others is
    /// tightened to 0700, with a notice in the log.
    public static func prepare(_ path: String, logger: Logger) throws {
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & 0o077 != 0 else { return }
        if chmod(path, 0o700) == 0 {
            logger.notice("made the data directory private (mode 0700)", metadata: ["path": "\(path)"])
        } else {
            logger.warning("cannot make the data directory private (mode 0700)", metadata: ["path": "\(path)"])
        }
    }
}
