import ChatProtocol
import ChatTesting
import Foundation
import TerminalClient
import Testing

/// The client's memory of accepted certificates, and the fingerprint's spelling.
@Suite struct KnownHostsTests {
    private let one = CertificateFingerprint(sha256Digest: (0..<32).map { UInt8($0) })
    private let two = CertificateFingerprint(sha256Digest: (0..<32).map { UInt8(255 - $0) })

    @Test func aFingerprintIsSpeltAsOpenSSLPrintsItAndReadAsPeoplePasteIt() throws {
        #expect("\(self.one)".hasPrefix("00:01:02:03:04:05:06:07:08:09:0A:0B"))
        #expect("\(self.one)".count == 32 * 3 - 1)
        let text = "\(self.two)"
        #expect(CertificateFingerprint(parsing: text) == self.two)
        #expect(CertificateFingerprint(parsing: text.lowercased()) == self.two)
        #expect(CertificateFingerprint(parsing: text.replacingOccurrences(of: ":", with: "")) == self.two)
        #expect(CertificateFingerprint(parsing: "sha256 Fingerprint=" + text) == self.two)
        #expect(CertificateFingerprint(parsing: "SHA256:" + text) == self.two)
        #expect(CertificateFingerprint(parsing: String(text.dropLast(3))) == nil, "31 bytes")
        #expect(CertificateFingerprint(parsing: String(text.dropLast(2)) + "ZZ") == nil)
    }

    @Test func aServerIsNamedByHostAndPortWithIPv6InBrackets() {
        #expect(KnownHosts.key(host: "Chat.Example.org", port: 4243) == "chat.example.org:4243")
        #expect(KnownHosts.key(host: "::1", port: 4243) == "[::1]:4243")
    }

    @Test func rememberingReplacesTheOldEntryKeepsOthersAndIsPrivate() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let knownHosts = KnownHosts(path: directory.file("config/slashchat/known_hosts"))
            #expect(knownHosts.fingerprint(for: "a:1") == nil, "no file yet")
            try knownHosts.remember(self.one, for: "a:1")
            try knownHosts.remember(self.one, for: "b:2")
            try knownHosts.remember(self.two, for: "a:1")
            #expect(knownHosts.fingerprint(for: "a:1") == self.two)
            #expect(knownHosts.fingerprint(for: "b:2") == self.one)
            #expect(knownHosts.fingerprint(for: "a:2") == nil)
            let text = try String(contentsOfFile: knownHosts.path, encoding: .utf8)
            #expect(text.split(separator: "\n").count == 2)
            let attributes = try FileManager.default.attributesOfItem(atPath: knownHosts.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test func commentsAndJunkLinesAreSkippedAndKept() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let path = directory.file("known_hosts")
            try Data("# mine\nnot a line\nhost:1 \(self.one)\n".utf8).write(to: URL(fileURLWithPath: path))
            let knownHosts = KnownHosts(path: path)
            #expect(knownHosts.fingerprint(for: "host:1") == self.one)
            try knownHosts.remember(self.two, for: "other:2")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.hasPrefix("# mine\nnot a line\n"))
        }
    }

    @Test func theFileLivesInTheXDGConfigFolderOrUnderHome() {
        #expect(
            KnownHosts.standard(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"]).path
                == "/x/cfg/slashchat/known_hosts"
        )
        #expect(KnownHosts.standard(environment: ["HOME": "/home/a"]).path == "/home/a/.config/slashchat/known_hosts")
        #expect(
            KnownHosts.standard(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/a"]).path
                == "/home/a/.config/slashchat/known_hosts",
            "a relative XDG_CONFIG_HOME is ignored, as the spec says"
        )
    }
}
