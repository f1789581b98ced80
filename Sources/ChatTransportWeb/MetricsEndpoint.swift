/// What the web door serves at `/metrics`: the exposition text of the server's metrics registry (Prometheus's text
/// format), and who may read it.
///
/// Loopback only unless ``isPublic``: the figures (connection counts, message rates) say more about a chat than its
/// members may want strangers to know, and a scraper usually runs on the box or reaches it through a tunnel.
public struct MetricsEndpoint: Sendable {
    /// The current figures, rendered.
    public let exposition: @Sendable () -> [UInt8]
    /// Anyone may read them (`--metrics-public`), not only loopback.
    public let isPublic: Bool

    public init(isPublic: Bool, exposition: @escaping @Sendable () -> [UInt8]) {
        self.isPublic = isPublic
        self.exposition = exposition
    }
}
