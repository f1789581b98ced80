/// Why the TLS listener cannot use its certificate, naming the file, so a start-up (or a reload) says what to fix.
public enum TLSSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is missing or cannot be read.
    case unreadable(file: String, reason: String)
    /// The certificate file holds no PEM certificate, or one that does not parse.
    case badCertificate(file: String, reason: String)
    /// The key file holds no PEM private key, or one that does not parse.
    case badKey(file: String, reason: String)
    /// The key is not the certificate's.
    case mismatchedKey(certificateFile: String, keyFile: String)
    /// The generated certificate could not be made or stored.
    case cannotGenerate(directory: String, reason: String)
    /// Half of a generated pair is there: the other half was lost, and guessing could hide a real problem.
    case incompletePair(present: String, missing: String)
    /// NIOSSL refused the pair (a key that is not the certificate's, a key type TLS cannot use).
    case rejected(certificateFile: String, keyFile: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "cannot read \(file): \(reason)"
        case .badCertificate(let file, let reason):
            "\(file) holds no usable PEM certificate: \(reason)"
        case .badKey(let file, let reason):
            "\(file) holds no usable PEM private key: \(reason)"
        case .mismatchedKey(let certificateFile, let keyFile):
            "the private key in \(keyFile) does not belong to the certificate in \(certificateFile)"
        case .cannotGenerate(let directory, let reason):
            "cannot create the TLS certificate in \(directory): \(reason)"
        case .incompletePair(let present, let missing):
            "\(present) exists but \(missing) does not; move \(present) away to generate a new certificate"
        case .rejected(let certificateFile, let keyFile, let reason):
            "cannot use the certificate in \(certificateFile) with the key in \(keyFile) for TLS: \(reason)"
        }
    }
}
