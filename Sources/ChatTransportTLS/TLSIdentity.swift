import ChatProtocol
import Crypto
import Foundation
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// A certificate chain and its private key, checked to belong together: what the TLS listener presents.
public struct TLSIdentity: Sendable {
    /// The leaf first, then any intermediates, as the file listed them.
    let chain: [NIOSSLCertificate]
    let key: NIOSSLPrivateKey
    /// The leaf's SHA-256 fingerprint, as clients see and pin it.
    public let fingerprint: CertificateFingerprint
    /// The leaf, parsed (its names, its dates).
    public let leaf: Certificate
    /// Where the leaf came from, for messages.
    public let certificateFile: String
    /// Where the key came from, for messages.
    public let keyFile: String

    /// Reads a PEM certificate file (a full chain is fine, leaf first) and a PEM private key file.
    public static func load(certificateFile: String, keyFile: String) throws(TLSSetupError) -> TLSIdentity {
        let certificatePEM = try Self.read(certificateFile)
        let keyPEM = try Self.read(keyFile)
        return try TLSIdentity(
            certificatePEM: certificatePEM,
            keyPEM: keyPEM,
            certificateFile: certificateFile,
            keyFile: keyFile
        )
    }

    /// Parses and checks a pair already in memory; the file names are for messages.
    init(certificatePEM: String, keyPEM: String, certificateFile: String, keyFile: String) throws(TLSSetupError) {
        do {
            self.chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
        } catch {
            throw .badCertificate(file: certificateFile, reason: "\(error)")
        }
        guard let leafCertificate = self.chain.first else {
            throw .badCertificate(file: certificateFile, reason: "no -----BEGIN CERTIFICATE----- block")
        }
        let leafDER: [UInt8]
        do {
            leafDER = try leafCertificate.toDERBytes()
            self.leaf = try Certificate(derEncoded: leafDER)
        } catch {
            throw .badCertificate(file: certificateFile, reason: "\(error)")
        }
        do {
            self.key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        } catch {
            throw .badKey(file: keyFile, reason: "not a PEM private key, or an encrypted one (\(error))")
        }
        // swift-certificates reads the key types certificates use (ECDSA, RSA, Ed25519); when it can read this
        // one, its public half must be the certificate's. NIOSSL checks the pair again when it builds the context.
        if let parsedKey = try? Certificate.PrivateKey(pemEncoded: keyPEM), parsedKey.publicKey != self.leaf.publicKey {
            throw .mismatchedKey(certificateFile: certificateFile, keyFile: keyFile)
        }
        self.fingerprint = CertificateFingerprint(sha256Digest: SHA256.hash(data: leafDER))
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    /// The server side of TLS with this identity: TLS 1.2 at least, 1.3 preferred (NIOSSL's maximum).
    func makeContext() throws(TLSSetupError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: self.chain.map { .certificate($0) },
            privateKey: .privateKey(self.key)
        )
        configuration.minimumTLSVersion = .tlsv12
        // How long a close waits for the peer's close_notify before dropping the socket (NIOSSL's default is 5 s):
        // a client that never answers must not hold a shutdown, or a kick, for longer than the flush does.
        configuration.shutdownTimeout = .seconds(1)
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .rejected(certificateFile: self.certificateFile, keyFile: self.keyFile, reason: "\(error)")
        }
    }

    private static func read(_ path: String) throws(TLSSetupError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable as text" : "no such file"
            throw .unreadable(file: path, reason: reason)
        }
    }
}
