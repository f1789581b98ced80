import ChatProtocol
import ChatTesting
import ChatTransportTLS
import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate and key written as PEM files, as a CA's `fullchain.pem` and `privkey.pem` would be.
struct CertificatePair {
    let certificateFile: String
    let keyFile: String
    let fingerprint: CertificateFingerprint

    /// Makes a fresh pair and writes it into `directory` under `name`.pem and `name`-key.pem (overwriting).
    /// - Parameter namingAddresses: false leaves every IP address out of it (a server reached by an address its
    ///   certificate does not name).
    static func write(
        in directory: TemporaryDirectory,
        named name: String,
        namingAddresses: Bool = true
    ) throws -> CertificatePair {
        let key = P256.Signing.PrivateKey()
        var names = GeneratedCertificate.Names(listenHost: "127.0.0.1", hostName: nil, extraNames: [name + ".test"])
        if !namingAddresses {
            names.ipAddresses = []
        }
        let certificate = try GeneratedCertificate.selfSigned(by: key, names: names)
        let pair = CertificatePair(
            certificateFile: directory.file(name + ".pem"),
            keyFile: directory.file(name + "-key.pem"),
            fingerprint: try Self.fingerprint(of: certificate)
        )
        try Data(try certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: pair.certificateFile))
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: pair.keyFile))
        return pair
    }

    static func fingerprint(of certificate: Certificate) throws -> CertificateFingerprint {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return CertificateFingerprint(sha256Digest: SHA256.hash(data: serializer.serializedBytes))
    }
}
