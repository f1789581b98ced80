/// Where the TLS listener's certificate comes from.
public enum TLSCertificateSource: Sendable, Equatable {
    /// The zero set-up one, generated on the first start and kept in the data directory.
    case generated(dataDirectory: String, names: GeneratedCertificate.Names)
    /// Files a CA issued (`--tls-cert`, `--tls-key`): PEM, the chain in the certificate file, leaf first.
    case files(certificate: String, key: String)

    /// Reads (or first makes) the pair; the warnings say what a person should know but need not fix now.
    func load() throws(TLSSetupError) -> (identity: TLSIdentity, warnings: [String]) {
        switch self {
        case .files(let certificate, let key):
            return (try TLSIdentity.load(certificateFile: certificate, keyFile: key), [])
        case .generated(let dataDirectory, let names):
            let (identity, missing) = try GeneratedCertificate.loadOrCreate(in: dataDirectory, names: names)
            guard !missing.isEmpty else { return (identity, []) }
            return (
                identity,
                [
                    "the generated certificate \(identity.certificateFile) does not name "
                        + "\(missing.joined(separator: ", ")); it is kept so its fingerprint stays the same "
                        + "(move the folder away to make a new one)"
                ]
            )
        }
    }
}
