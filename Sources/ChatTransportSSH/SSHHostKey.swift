import ChatCore
import Crypto
import Foundation
import NIOSSH

/// The SSH door's host key: Ed25519, made on the first start under the data directory (`ssh/host_ed25519_key`,
/// mode 0600, in OpenSSH's format, with its `.pub` beside it) and reused ever after, so returning users never see a
/// host-key warning.
public struct SSHHostKey: Sendable {
    /// Why the host key cannot be had; the server does not start without it.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public static let folderName = "ssh"
    public static let fileName = "host_ed25519_key"

    let privateKey: NIOSSHPrivateKey
    /// What `ssh-keygen -lf` prints for it: `SHA256:…`.
    public let fingerprint: String
    /// The file it was read from.
    public let path: String

    /// The line the server prints after the SSH door's `listening on` line; users compare it with what ssh shows.
    public var announcement: String { "slashchat ssh host key \(self.fingerprint)" }

    /// Reads the key under `dataDirectory`, making it first when there is none.
    public static func loadOrCreate(in dataDirectory: String) throws(LoadError) -> SSHHostKey {
        let folder = (dataDirectory as NSString).appendingPathComponent(Self.folderName)
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        if !FileManager.default.fileExists(atPath: path) {
            let key = Curve25519.Signing.PrivateKey()
            do {
                try FileManager.default.createDirectory(
                    atPath: folder,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
                try PrivateFile.save(OpenSSHKeyFile.encode(key, comment: "slashchat"), to: path, mode: 0o600)
                let blob = OpenSSHKeyFile.publicKeyBlob(Array(key.publicKey.rawRepresentation))
                try PrivateFile.save(
                    "ssh-ed25519 \(Data(blob).base64EncodedString()) slashchat\n",
                    to: path + ".pub",
                    mode: 0o644
                )
            } catch {
                throw LoadError(description: "cannot make the SSH host key \(path): \(error)")
            }
        }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try OpenSSHKeyFile.decode(try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw LoadError(description: "cannot read the SSH host key \(path): \(error)")
        }
        return SSHHostKey(key: key, path: path)
    }

    init(key: Curve25519.Signing.PrivateKey, path: String) {
        self.privateKey = NIOSSHPrivateKey(ed25519Key: key)
        self.fingerprint = SSHKeyFingerprint.of(
            blob: OpenSSHKeyFile.publicKeyBlob(Array(key.publicKey.rawRepresentation))
        )
        self.path = path
    }
}
