import ChatTesting
import Crypto
import Foundation
import Testing

@testable import ChatTransportSSH

/// The host key file: made once in OpenSSH's format, private, and read back the same.
@Suite struct HostKeyTests {
    @Test func isMadeOnceWithMode0600AndReusedWithTheSameFingerprint() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let first = try SSHHostKey.loadOrCreate(in: directory.path)
            let attributes = try FileManager.default.attributesOfItem(atPath: first.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(first.fingerprint.hasPrefix("SHA256:") && !first.fingerprint.hasSuffix("="))
            #expect(first.fingerprint.count == "SHA256:".count + 43)
            let second = try SSHHostKey.loadOrCreate(in: directory.path)
            #expect(second.fingerprint == first.fingerprint)
            #expect(first.announcement == "slashchat ssh host key \(first.fingerprint)")
        }
    }

    @Test func theFileRoundTripsAndABrokenOneIsAClearError() throws {
        let key = Curve25519.Signing.PrivateKey()
        let text = OpenSSHKeyFile.encode(key, comment: "test")
        #expect(text.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 70 || $0.hasPrefix("-----") })
        let decoded = try OpenSSHKeyFile.decode(text)
        #expect(decoded.rawRepresentation == key.rawRepresentation)
        for broken in ["", "hello", text.replacingOccurrences(of: "A", with: "B"), String(text.prefix(120))] {
            #expect(throws: OpenSSHKeyFile.FormatError.self) { try OpenSSHKeyFile.decode(broken) }
        }
    }

    @Test func aKeyMadeByOpenSSHReadsAndPrintsTheSameFingerprintAsSSHKeygen() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen") else { return }
        try await TemporaryDirectory.withDirectory { directory in
            let made = try SSHHostKey.loadOrCreate(in: directory.path)
            let listed = try await SpawnedCommand.run(["/usr/bin/ssh-keygen", "-lf", made.path]).output
            #expect(listed.contains(" \(made.fingerprint) "))
            // And the other way round: a key ssh-keygen wrote is one the server can use.
            let theirs = directory.file("theirs")
            _ = try await SpawnedCommand.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", theirs])
            let read = try OpenSSHKeyFile.decode(try String(contentsOfFile: theirs, encoding: .utf8))
            let fingerprint = SSHKeyFingerprint.of(
                blob: OpenSSHKeyFile.publicKeyBlob(Array(read.publicKey.rawRepresentation))
            )
            let theirsListed = try await SpawnedCommand.run(["/usr/bin/ssh-keygen", "-lf", theirs]).output
            #expect(theirsListed.contains(" \(fingerprint) "))
        }
    }
}
