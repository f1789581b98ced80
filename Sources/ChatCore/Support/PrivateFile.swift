import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A key or certificate file the server makes for itself under its data directory (the TLS certificate, the SSH
/// host key).
public enum PrivateFile {
    /// Writes a whole file under a temporary name and renames it into place, so a crash never leaves half a key;
    /// created with `mode` from the start, so a key is never readable by others, not even for a moment. Two servers
    /// generating at once each write a whole file; the last rename wins.
    public static func save(_ text: String, to path: String, mode: mode_t) throws(POSIXFailure) {
        // Named by process, so two servers started on one data directory cannot write into each other's file.
        let temporary = path + ".partial-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw POSIXFailure(call: "open \(temporary)", code: errno) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else {
            unlink(temporary)
            throw POSIXFailure(call: "write \(temporary)", code: errno)
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw POSIXFailure(call: "rename to \(path)", code: errno)
        }
    }
}
