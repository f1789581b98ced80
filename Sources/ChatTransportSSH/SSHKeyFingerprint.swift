import ChatCore
import Crypto
import Foundation
import NIOSSH

/// Public keys as people compare them: OpenSSH's one-line form and its `SHA256:` fingerprint.
enum SSHKeyFingerprint {
    /// What `ssh-keygen -lf` prints for a key whose wire form is `blob`: `SHA256:` and the base64 of its SHA-256,
    /// without padding.
    static func of(blob: some DataProtocol) -> String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.prefix { $0 != "=" }
    }

    /// A client's key as the store keeps it: `TYPE BASE64` and its fingerprint; nil for a form this cannot read.
    static func accountKey(_ key: NIOSSHPublicKey) -> AccountKey? {
        let line = String(openSSHPublicKey: key)
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let blob = Data(base64Encoded: String(fields[1])) else { return nil }
        return AccountKey(publicKey: "\(fields[0]) \(fields[1])", fingerprint: Self.of(blob: blob))
    }
}
