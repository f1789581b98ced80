import ChatCore
import ChatTesting

extension ServerConfiguration {
    /// The loopback configuration with flood control off, so a benchmark's senders are never throttled.
    static var benchmark: ServerConfiguration {
        .loopback(floodRate: 0)
    }
}
