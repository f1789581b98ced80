/// Where one listener listens, as the `slashchat listening on` lines say it.
public struct ListeningAddress: Sendable, Equatable {
    /// The host as it was given on the command line (`0.0.0.0`, `127.0.0.1`, `localhost`).
    public let host: String
    /// The real port, also when 0 was asked for.
    public let port: Int
    /// What the listener speaks: `tcp`, `tls`, `web`, `ssh`.
    public let kind: String
    /// True when what crosses it is encrypted (TLS), so passwords are safe on it.
    public let isEncrypted: Bool

    public init(host: String, port: Int, kind: String, isEncrypted: Bool = false) {
        self.host = host
        self.port = port
        self.kind = kind
        self.isEncrypted = isEncrypted
    }

    /// The line scripts and tests wait for: the first listener's is `slashchat listening on HOST:PORT` (as it
    /// always was), every further one's ends in ` (KIND)`.
    public func announcement(isFirst: Bool) -> String {
        "slashchat listening on \(self.host):\(self.port)" + (isFirst ? "" : " (\(self.kind))")
    }
}
