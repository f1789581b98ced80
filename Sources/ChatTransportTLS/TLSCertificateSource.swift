import Foundation

/// Where the TLS listener's certificate comes from.
public enum TLSCertificateSource: Sendable, Equatable {
    /// The zero set-up one, generated on the first start and kept in the data directory.
    case generated(dataDirectory: String, names: GeneratedCertificate.Names)
    /// Files a CA issued (`--tls-cert`, `--tls-key`): PEM, the chain in the certificate file, leaf first.
    case files(certificate: String, key: String)

    /// The server's choice: the given files when there are any, else the generated certificate in `dataDirectory`
    /// for `localhost`, this machine's name, `listenHost` and `extraNames`.
    public init(
        certificateFile: String?,
        keyFile: String?,
        dataDirectory: String,
        listenHost: String,
        extraNames: [String]
    ) {
        if let certificateFile, let keyFile {
            self = .files(certificate: certificateFile, key: keyFile)
        } else {
            let names = GeneratedCertificate.Names(
                listenHost: listenHost,
                hostName: GeneratedCertificate.localHostName(),
                extraNames: extraNames
            )
            self = .generated(dataDirectory: dataDirectory, names: names)
        }
    }

    /// Reads (or first makes) the pair; the warnings say what a person should know but need not fix now.
    func load() throws(TLSSetupError) -> (identity: TLSIdentity, warnings: [String]) {
        var warnings: [String] = []
        let identity: TLSIdentity
        switch self {
        case .files(let certificate, let key):
            identity = try TLSIdentity.load(certificateFile: certificate, keyFile: key)
        case .generated(let dataDirectory, let names):
            let missing: [String]
            (identity, missing) = try GeneratedCertificate.loadOrCreate(in: dataDirectory, names: names)
            if !missing.isEmpty {
                warnings.append(
                    "the generated certificate \(identity.certificateFile) does not name "
                        + "\(missing.joined(separator: ", ")); it is kept so its fingerprint stays the same "
                        + "(move the folder away to make a new one)"
                )
            }
        }
        if let mode = Self.permissions(of: identity.keyFile), mode & 0o077 != 0 {
            warnings.append(
                "the private key \(identity.keyFile) can be read by others (mode \(String(mode, radix: 8))); "
                    + "chmod 600 it"
            )
        }
        return (identity, warnings)
    }

    private static func permissions(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }
}
