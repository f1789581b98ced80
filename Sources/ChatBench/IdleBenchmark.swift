import ChatProtocol
import NIOCore
import NIOPosix

/// N connections join and stay idle: how long that takes and what each costs the server in memory.
public struct IdleBenchmark: Sendable {
    public struct Options: Sendable {
        public var target: BenchTarget
        public var clients = 1000
        public var joinTimeout: Duration = .seconds(120)
        /// Connect the next client only once the previous one has joined, instead of 128 at a time: some servers
        /// (ngircd) register connections slowly when many arrive at once.
        public var joinsOneAtATime = false

        public init(target: BenchTarget) {
            self.target = target
        }
    }

    public struct Report: Sendable, Codable, Equatable {
        public var clients: Int
        public var connectSeconds: Double
        public var serverResidentBeforeKiB: Int?
        public var serverResidentAfterKiB: Int?
        public var serverKiBPerConnection: Double?
        /// How many clients connected to each port (the nodes of a cluster), in the order the ports were given.
        public var clientsPerPort: [Int] = []
        /// How many server processes the memory figures add up.
        public var serverProcesses = 0
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() async throws -> Report {
        let options = self.options
        return try await BenchEventLoops.with(threads: options.target.threads) { group in
            try await Self.measure(options, group: group)
        }
    }

    private static func measure(_ options: Options, group: MultiThreadedEventLoopGroup) async throws -> Report {
        let before = options.target.serverStats()
        let start = ContinuousClock.now
        let connections = try await ConnectionPool.open(
            count: options.clients,
            target: options.target,
            nicknamePrefix: "i\(String(UInt32.random(in: 0...UInt32.max), radix: 36))n",
            messageSize: 64,
            group: group,
            parallelism: options.joinsOneAtATime ? 1 : ConnectionPool.defaultParallelism,
            joinsEachBatchFirst: options.joinsOneAtATime,
            joinTimeout: options.joinTimeout
        )
        let connectSeconds = FanoutBenchmark.seconds(ContinuousClock.now - start)
        // Let the server settle (join notices to thousands of members) before reading its memory.
        try await Task.sleep(for: .milliseconds(500))
        let after = options.target.serverStats()
        for connection in connections { connection.channel.close(promise: nil) }
        var perConnection: Double?
        if let before, let after {
            perConnection = Double(after.residentKiB - before.residentKiB) / Double(options.clients)
        }
        return Report(
            clients: options.clients,
            connectSeconds: connectSeconds,
            serverResidentBeforeKiB: before?.residentKiB,
            serverResidentAfterKiB: after?.residentKiB,
            serverKiBPerConnection: perConnection,
            clientsPerPort: options.target.clientsPerPort(options.clients),
            serverProcesses: after == nil ? 0 : options.target.serverPIDs.count
        )
    }
}
