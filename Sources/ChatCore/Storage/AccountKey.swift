import Foundation

/// A public key bound to a registered nickname: its owner logs in over SSH with it, without the password.
public struct AccountKey: Sendable, Equatable {
    /// The key as OpenSSH writes it in `authorized_keys`, without a comment: `ssh-ed25519 AAAA…`.
    public var publicKey: String
    /// What `ssh-keygen -lf` prints for it: `SHA256:` and the base64 of its SHA-256, unpadded.
    public var fingerprint: String
    /// When it was bound (nil when a key has just been made and is not stored yet).
    public var added: Date?

    public init(publicKey: String, fingerprint: String, added: Date? = nil) {
        self.publicKey = publicKey
        self.fingerprint = fingerprint
        self.added = added
    }
}
