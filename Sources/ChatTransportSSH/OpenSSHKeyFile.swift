import Crypto
import Foundation
import NIOCore

/// An Ed25519 private key in OpenSSH's own file format (`-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted), the
/// format `ssh-keygen -t ed25519` writes: so the server's host key file is one an administrator already knows, that
/// `ssh-keygen -lf` reads (printing the fingerprint the server printed) and that can be swapped for an existing
/// host key.
enum OpenSSHKeyFile {
    /// Why a key file cannot be read.
    struct FormatError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "not an unencrypted OpenSSH Ed25519 private key: \(self.reason)" }
    }

    private static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    private static let end = "-----END OPENSSH PRIVATE KEY-----"
    private static let magic = Array("openssh-key-v1\0".utf8)
    private static let keyType = "ssh-ed25519"

    /// The file's text for `key`, with `comment`.
    static func encode(_ key: Curve25519.Signing.PrivateKey, comment: String) -> String {
        let publicKey = Array(key.publicKey.rawRepresentation)
        var body = ByteBuffer()
        body.writeBytes(Self.magic)
        body.writeSSHString("none")
        body.writeSSHString("none")
        body.writeSSHString("")
        body.writeInteger(UInt32(1))
        body.writeSSHString(Self.publicKeyBlob(publicKey))
        var secret = ByteBuffer()
        // Two equal random words: OpenSSH checks they match, which tells a wrong passphrase from a bad file.
        let check = UInt32.random(in: .min ... .max)
        secret.writeInteger(check)
        secret.writeInteger(check)
        secret.writeSSHString(Self.keyType)
        secret.writeSSHString(publicKey)
        secret.writeSSHString(Array(key.rawRepresentation) + publicKey)
        secret.writeSSHString(comment)
        // Padded with 1, 2, 3… to the cipher's block size, 8 for "none".
        var pad: UInt8 = 1
        while secret.readableBytes % 8 != 0 {
            secret.writeInteger(pad)
            pad += 1
        }
        body.writeSSHString(Array(secret.readableBytesView))
        let base64 = Data(body.readableBytesView).base64EncodedString()
        var lines = [Self.begin]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(70)))
            rest = rest.dropFirst(70)
        }
        lines.append(Self.end)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The key in `text`, a file ``encode(_:comment:)`` or `ssh-keygen -t ed25519 -N ''` wrote.
    static func decode(_ text: String) throws(FormatError) -> Curve25519.Signing.PrivateKey {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.firstIndex(of: Self.begin), let last = lines.firstIndex(of: Self.end), first < last
        else { throw FormatError(reason: "no \(Self.begin) block") }
        guard let data = Data(base64Encoded: lines[(first + 1)..<last].joined()) else {
            throw FormatError(reason: "bad base64")
        }
        var body = ByteBuffer(bytes: data)
        guard body.readBytes(length: Self.magic.count) == Self.magic else { throw FormatError(reason: "bad magic") }
        guard body.readSSHString() == Array("none".utf8), body.readSSHString() == Array("none".utf8) else {
            throw FormatError(reason: "the key is encrypted (remove its passphrase with ssh-keygen -p)")
        }
        guard body.readSSHString() != nil, body.readInteger(as: UInt32.self) == 1, body.readSSHString() != nil,
            let secretBytes = body.readSSHString()
        else { throw FormatError(reason: "truncated") }
        var secret = ByteBuffer(bytes: secretBytes)
        guard let check1 = secret.readInteger(as: UInt32.self), let check2 = secret.readInteger(as: UInt32.self),
            check1 == check2
        else { throw FormatError(reason: "bad check words") }
        guard secret.readSSHString() == Array(Self.keyType.utf8) else {
            throw FormatError(reason: "not an Ed25519 key")
        }
        guard let publicKey = secret.readSSHString(), let both = secret.readSSHString(), both.count == 64 else {
            throw FormatError(reason: "truncated")
        }
        do {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: both.prefix(32))
            guard Array(key.publicKey.rawRepresentation) == publicKey else {
                throw FormatError(reason: "the public half does not match the private one")
            }
            return key
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(reason: "\(error)")
        }
    }

    /// The key as SSH sends it (`string "ssh-ed25519", string key`): what fingerprints are taken of.
    static func publicKeyBlob(_ publicKey: [UInt8]) -> [UInt8] {
        var blob = ByteBuffer()
        blob.writeSSHString(Self.keyType)
        blob.writeSSHString(publicKey)
        return Array(blob.readableBytesView)
    }
}

extension ByteBuffer {
    /// SSH's `string`: a 32-bit length, then the bytes.
    fileprivate mutating func writeSSHString(_ bytes: [UInt8]) {
        self.writeInteger(UInt32(bytes.count))
        self.writeBytes(bytes)
    }

    fileprivate mutating func writeSSHString(_ text: String) {
        self.writeSSHString(Array(text.utf8))
    }

    fileprivate mutating func readSSHString() -> [UInt8]? {
        guard let length = self.getInteger(at: self.readerIndex, as: UInt32.self),
            Int(length) <= self.readableBytes - 4
        else { return nil }
        self.moveReaderIndex(forwardBy: 4)
        return self.readBytes(length: Int(length))
    }
}
