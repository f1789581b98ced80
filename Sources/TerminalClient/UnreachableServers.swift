/// No address of the chat accepted a connection: each one tried, in order, and why it failed.
public struct UnreachableServers: Error, Sendable, Equatable {
    /// One address that could not be reached.
    public struct Attempt: Sendable, Equatable {
        public let address: ServerAddress
        public let failure: ConnectionFailure

        public init(address: ServerAddress, failure: ConnectionFailure) {
            self.address = address
            self.failure = failure
        }

        /// `cannot connect to HOST:PORT: connection refused; is the server running?`
        public var message: String {
            self.failure.message(host: self.address.host, port: self.address.port)
        }
    }

    /// In the order they were tried.
    public let attempts: [Attempt]

    public init(attempts: [Attempt]) {
        self.attempts = attempts
    }
}
