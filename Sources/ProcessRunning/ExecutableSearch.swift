#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds external tools (cowsay, figlet, fortune, toilet) without a shell.
public enum ExecutableSearch {
    /// The server's PATH, plus the games directories where Debian installs cowsay and fortune (often missing from
    /// a service's PATH).
    public static let searchPath: [String] = {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        var directories = path.split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
        for extra in ["/usr/games", "/usr/local/games"] where !directories.contains(extra) {
            directories.append(extra)
        }
        return directories
    }()

    /// The absolute path of the executable `name` in ``searchPath``, if any.
    public static func find(_ name: String, in directories: [String] = Self.searchPath) -> String? {
        guard !name.isEmpty, !name.contains("/") else { return nil }
        for directory in directories {
            let candidate = directory + "/" + name
            if Self.isExecutableFile(candidate) {
                return candidate
            }
        }
        return nil
    }

    /// True for a regular file this process may execute.
    public static func isExecutableFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
