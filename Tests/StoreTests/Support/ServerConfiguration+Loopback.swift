import ChatCore
import NIOCore

extension ServerConfiguration {
    /// `127.0.0.1`, port 0 (the server picks a free one), and the defaults except where a test says otherwise.
    static func loopback(
        maxClients: Int? = nil,
        floodRate: Double? = nil,
        floodBurst: Int? = nil,
        nicknameTimeout: TimeAmount? = nil,
        outboxCapacity: Int? = nil
    ) -> ServerConfiguration {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxClients = maxClients ?? configuration.maxClients
        configuration.floodRate = floodRate ?? configuration.floodRate
        configuration.floodBurst = floodBurst ?? configuration.floodBurst
        configuration.nicknameTimeout = nicknameTimeout ?? configuration.nicknameTimeout
        configuration.outboxCapacity = outboxCapacity ?? configuration.outboxCapacity
        return configuration
    }
}
