import ChatCore
import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The zero set-up certificate: a self-signed ECDSA P-256 certificate made on the first start and kept in the data
/// directory (`tls/certificate.pem`, and `tls/private-key.pem` with mode 0600), so later starts present the same one
/// and its fingerprint, which clients pin, never changes by itself.
///
/// A later start with more `--tls-name`s keeps the stored certificate (a new one would change the fingerprint every
/// client remembered) and says which names it lacks; moving the `tls` folder away makes a new one.
public enum GeneratedCertificate {
    /// The folder in the data directory that holds the pair.
    public static let folderName = "tls"
    /// The certificate's file in that folder (PEM).
    public static let certificateFileName = "certificate.pem"
    /// The private key's file in that folder (PEM, mode 0600).
    public static let keyFileName = "private-key.pem"
    /// Pinned, not checked against a CA, so expiry protects nobody; ten years keeps it out of the way.
    static let validity: TimeInterval = 10 * 365 * 24 * 3600

    /// What the generated certificate says it is valid for.
    public struct Names: Sendable, Equatable {
        /// Host names, lower-cased, `localhost` first.
        public var dnsNames: [String]
        /// IP address literals, 127.0.0.1 and ::1 first.
        public var ipAddresses: [String]

        /// `localhost`, 127.0.0.1 and ::1, the machine's host name (see ``localHostName()``), the listen address
        /// (unless it is a wildcard such as 0.0.0.0), and every extra name, each as a DNS name or an IP address as
        /// it reads.
        public init(listenHost: String, hostName: String?, extraNames: [String]) {
            self.dnsNames = ["localhost"]
            self.ipAddresses = ["127.0.0.1", "::1"]
            for name in [hostName, listenHost].compactMap({ $0 }) + extraNames {
                if IPAddressBytes.parse(name) != nil {
                    if !["0.0.0.0", "::"].contains(name), !self.ipAddresses.contains(name) {
                        self.ipAddresses.append(name)
                    }
                } else if !name.isEmpty, !self.dnsNames.contains(name.lowercased()) {
                    self.dnsNames.append(name.lowercased())
                }
            }
        }
    }

    /// This machine's host name as `gethostname(2)` has it (no DNS look-up, which could block the start-up).
    public static func localHostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// The stored pair, made first if there is none.
    /// - Returns: the identity, and the names it lacks of those asked for (empty when it covers them all).
    public static func loadOrCreate(
        in dataDirectory: String,
        names: Names
    ) throws(TLSSetupError) -> (identity: TLSIdentity, missingNames: [String]) {
        let folder = (dataDirectory as NSString).appendingPathComponent(Self.folderName)
        let certificateFile = (folder as NSString).appendingPathComponent(Self.certificateFileName)
        let keyFile = (folder as NSString).appendingPathComponent(Self.keyFileName)
        let manager = FileManager.default
        let haveCertificate = manager.fileExists(atPath: certificateFile)
        let haveKey = manager.fileExists(atPath: keyFile)
        if haveCertificate, !haveKey {
            throw .incompletePair(present: certificateFile, missing: keyFile)
        }
        if !haveCertificate {
            // A key without its certificate is a generation cut short (the certificate is written last): it was
            // never presented to anyone, so making a new pair loses nothing.
            try Self.create(folder: folder, certificateFile: certificateFile, keyFile: keyFile, names: names)
        }
        let identity = try TLSIdentity.load(certificateFile: certificateFile, keyFile: keyFile)
        return (identity, Self.namesMissing(from: identity.leaf, asked: names))
    }

    private static func create(
        folder: String,
        certificateFile: String,
        keyFile: String,
        names: Names
    ) throws(TLSSetupError) {
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            let key = P256.Signing.PrivateKey()
            let certificate = try Self.selfSigned(by: key, names: names)
            try PrivateFile.save(key.pemRepresentation, to: keyFile, mode: 0o600)
            try PrivateFile.save(try certificate.serializeAsPEM().pemString + "\n", to: certificateFile, mode: 0o644)
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw .cannotGenerate(directory: folder, reason: "\(error)")
        }
    }

    /// A self-signed certificate for `names`, signed by `key` (tests make their own "CA-issued" files with it).
    package static func selfSigned(by key: P256.Signing.PrivateKey, names: Names) throws -> Certificate {
        let signer = Certificate.PrivateKey(key)
        let now = Date()
        let subject = try DistinguishedName {
            OrganizationName("slashchat")
            CommonName(names.dnsNames.count > 1 ? names.dnsNames[1] : "localhost")
        }
        var alternativeNames = names.dnsNames.map { GeneralName.dnsName($0) }
        for address in names.ipAddresses {
            if let bytes = IPAddressBytes.parse(address) {
                alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            }
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: signer.publicKey,
            // An hour of slack for clocks that run a little behind.
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(Self.validity),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            },
            issuerPrivateKey: signer
        )
    }

    /// The asked-for names the stored certificate does not cover.
    static func namesMissing(from certificate: Certificate, asked names: Names) -> [String] {
        guard let alternatives = try? certificate.extensions.subjectAlternativeNames else {
            return names.dnsNames + names.ipAddresses
        }
        var dnsNames: Set<String> = []
        var addresses: Set<[UInt8]> = []
        for name in alternatives {
            switch name {
            case .dnsName(let dns): dnsNames.insert(dns.lowercased())
            case .ipAddress(let octets): addresses.insert(Array(octets.bytes))
            default: break
            }
        }
        let missingDNS = names.dnsNames.filter { !dnsNames.contains($0) }
        let missingIPs = names.ipAddresses.filter { IPAddressBytes.parse($0).map(addresses.contains) == false }
        return missingDNS + missingIPs
    }
}
