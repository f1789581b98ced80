/// Checks a server's certificate without starting a chat session.
public enum TLSCertificateCheck {
    /// Connects to `host:port`, completes the TLS handshake if `trust` accepts the certificate, and hangs up.
    /// - Throws: a ``ConnectionFailure``: `.untrusted(verdict, explanation)` when the certificate is the only
    ///   problem (so a terminal can ask about an unknown one), another reason when the server cannot be reached.
    public static func probe(host: String, port: Int, trust: TLSTrust) async throws {
        try await TLSClientPipeline.probe(host: host, port: port, trust: trust)
    }
}
