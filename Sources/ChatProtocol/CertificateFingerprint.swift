/// A TLS certificate's SHA-256 fingerprint, as the server prints it and the client pins it: upper-case hex pairs
/// joined by colons, exactly what `openssl x509 -noout -fingerprint -sha256` prints after `=`.
///
/// Hashing is left to the caller (both sides have swift-crypto), so this type is only the digest and its spelling.
public struct CertificateFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes of the SHA-256 digest of the certificate's DER encoding.
    public let digest: [UInt8]

    /// - Precondition: `digest` holds 32 bytes.
    public init(sha256Digest digest: some Sequence<UInt8>) {
        self.digest = Array(digest)
        precondition(self.digest.count == 32, "a SHA-256 digest has 32 bytes")
    }

    /// Reads a fingerprint as people paste it: hex pairs with or without colons, any case, an optional `SHA256:`
    /// or `sha256 Fingerprint=` prefix. Nil unless it is exactly 32 bytes of hex.
    public init?(parsing text: String) {
        var text = Substring(text.trimmingSpacesAndTabs())
        if let equals = text.lastIndex(of: "=") {
            text = text[text.index(after: equals)...]
        } else if text.lowercased().hasPrefix("sha256:") {
            text = text.dropFirst("sha256:".count)
        }
        let hex = text.filter { $0 != ":" }
        // Hex digits only: UInt8(_:radix:) alone would take a sign ("+F").
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(sha256Digest: bytes)
    }

    /// `AB:CD:…:EF`.
    public var description: String {
        self.digest.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
