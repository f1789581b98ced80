import ChatCore
import NIOCore

extension ServerConfiguration {
    /// `127.0.0.1`, port 0 (the server picks a free one) unless `port` says otherwise, and the defaults except where
    /// a test says otherwise.
    public static func loopback(
        port: Int = 0,
        maxClients: Int? = nil,
        floodRate: Double? = nil,
        floodBurst: Int? = nil,
        nicknameTimeout: TimeAmount? = nil,
        outboxCapacity: Int? = nil
    ) -> ServerConfiguration {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: port)
        configuration.maxClients = maxClients ?? configuration.maxClients
        configuration.floodRate = floodRate ?? configuration.floodRate
        configuration.floodBurst = floodBurst ?? configuration.floodBurst
        configuration.nicknameTimeout = nicknameTimeout ?? configuration.nicknameTimeout
        configuration.outboxCapacity = outboxCapacity ?? configuration.outboxCapacity
        return configuration
    }
}
