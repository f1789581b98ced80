#if canImport(Glibc)
import Glibc
#endif

/// Finds what is left of one external run after its process group was killed: every process whose environment still
/// holds the run's marker, `SLASHCHAT_RUN=ID`.
///
/// Killing the process group misses a child that left it (`setsid`, a double fork into a new session); such a child
/// keeps its environment, marker included, so it is found here and killed too. What is not found: a process that
/// deliberately clears or rewrites its environment (`env -i`). Plugins are programs the server's admin installed;
/// this stops accidents and lazy daemonising, not a plugin bent on escaping (run the server under systemd, whose
/// cgroup ends everything when the service stops).
struct RunMarker: Sendable {
    /// The environment variable that carries the marker.
    static let variable = "SLASHCHAT_RUN"

    /// This run's value.
    let value: String

    init() {
        var generator = SystemRandomNumberGenerator()
        self.value = (0..<4).map { _ in String(generator.next() as UInt32, radix: 16) }.joined()
    }

    /// `SLASHCHAT_RUN=value` as it appears in `/proc/PID/environ`.
    private var entry: [UInt8] { Array("\(Self.variable)=\(self.value)".utf8) }

    /// Sends SIGKILL to every process (other than this one) carrying the marker; returns how many there were.
    @discardableResult
    func killStragglers() -> Int {
        #if os(Linux)
        let entry = self.entry
        let ownPID = getpid()
        var killed = 0
        guard let proc = opendir("/proc") else { return 0 }
        defer { closedir(proc) }
        while let item = readdir(proc) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = Int32(name), pid != ownPID, Self.environment(of: pid, contains: entry) else { continue }
            if kill(pid, SIGKILL) == 0 { killed += 1 }
        }
        return killed
        #else
        return 0
        #endif
    }

    #if os(Linux)
    /// Whether `/proc/PID/environ` holds `entry` as one whole NUL-separated entry.
    private static func environment(of pid: Int32, contains entry: [UInt8]) -> Bool {
        let fd = open("/proc/\(pid)/environ", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Environments are small; stop at 256 KiB whatever a process claims.
        while bytes.count < 256 * 1024 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes.split(separator: 0, omittingEmptySubsequences: true).contains { $0.elementsEqual(entry) }
    }
    #endif
}
