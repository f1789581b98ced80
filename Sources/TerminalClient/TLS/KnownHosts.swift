import ChatProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The certificates this user has accepted, one fingerprint per server, as ssh's `known_hosts` has keys:
/// `$XDG_CONFIG_HOME/slashchat/known_hosts` (`~/.config/slashchat/known_hosts` by default), one
/// `HOST:PORT FINGERPRINT` line per server (`[::1]:4243` for IPv6), `#` comments allowed.
public struct KnownHosts: Sendable {
    /// The file; it and its folder are created on the first ``remember(_:for:)``.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The file in the user's configuration directory.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> KnownHosts {
        let configuration: String
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            configuration = xdg
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            configuration = (home as NSString).appendingPathComponent(".config")
        }
        return KnownHosts(path: (configuration as NSString).appendingPathComponent("slashchat/known_hosts"))
    }

    /// How a server is named in the file: `host:port`, the host lower-cased, an IPv6 literal in brackets.
    public static func key(host: String, port: Int) -> String {
        let host = host.lowercased()
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The remembered fingerprint of `key`'s certificate, if any.
    public func fingerprint(for key: String) -> CertificateFingerprint? {
        for (lineKey, fingerprint) in self.entries() where lineKey == key {
            return fingerprint
        }
        return nil
    }

    /// Remembers `fingerprint` for `key`, replacing what was there; the file (mode 0600) and its folder (0700) are
    /// created when missing, and rewritten whole, so a crash leaves the old file or the new one.
    public func remember(_ fingerprint: CertificateFingerprint, for key: String) throws {
        var lines = self.lines().filter { line in
            Self.parse(line).map { $0.key != key } ?? true
        }
        lines.append("\(key) \(fingerprint)")
        let folder = (self.path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        // Named by process, so two clients remembering at once do not write into one file.
        let temporary = self.path + ".partial-\(getpid())"
        guard
            FileManager.default.createFile(
                atPath: temporary,
                contents: Data((lines.joined(separator: "\n") + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        guard rename(temporary, self.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSFilePathErrorKey: self.path, NSLocalizedDescriptionKey: reason]
            )
        }
    }

    private func lines() -> [String] {
        guard let text = try? String(contentsOfFile: self.path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    private func entries() -> [(key: String, fingerprint: CertificateFingerprint)] {
        self.lines().compactMap(Self.parse)
    }

    private static func parse(_ line: String) -> (key: String, fingerprint: CertificateFingerprint)? {
        let trimmed = line.trimmingSpacesAndTabs()
        guard !trimmed.hasPrefix("#") else { return nil }
        let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, let fingerprint = CertificateFingerprint(parsing: String(fields[1])) else {
            return nil
        }
        return (String(fields[0]).lowercased(), fingerprint)
    }
}
