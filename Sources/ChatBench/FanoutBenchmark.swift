import ChatProtocol
import Foundation
import NIOCore
import NIOPosix

/// N clients in one room; S of them send M messages each; everyone counts what arrives and how late.
public struct FanoutBenchmark: Sendable {
    public struct Options: Sendable {
        public var target: BenchTarget
        public var clients = 100
        public var senders = 10
        public var messagesPerSender = 1000
        public var messageSize = 64
        /// Aggregate messages per second across all senders; 0 sends as fast as back-pressure allows.
        public var rate: Double = 0
        /// How long to wait for stragglers after the last message was sent.
        public var drainTimeout: Duration = .seconds(5)
        /// Time limit for connecting and joining all clients.
        public var joinTimeout: Duration = .seconds(60)

        public init(target: BenchTarget) {
            self.target = target
        }
    }

    public struct Report: Sendable, Codable, Equatable {
        public var clients: Int
        public var senders: Int
        public var messagesPerSender: Int
        public var messageSize: Int
        public var rate: Double
        public var connectSeconds: Double
        public var expectedDeliveries: Int
        public var delivered: Int
        public var lost: Int
        public var garbled: Int
        /// Deliveries of a message a client had already received (not counted as delivered).
        public var duplicated: Int
        /// Messages that came back to their own sender (not counted as delivered).
        public var echoed: Int
        public var durationSeconds: Double
        public var deliveriesPerSecond: Double
        public var latencyP50Milliseconds: Double
        public var latencyP99Milliseconds: Double
        public var latencyMaxMilliseconds: Double
        public var benchCPUSeconds: Double
        /// Peak resident memory of the server's processes, added up (every node of a cluster given by process id).
        public var serverPeakResidentKiB: Int?
        /// CPU time of the server's processes, added up, per delivery, while the messages were sent and delivered.
        public var serverCPUMicrosecondsPerDelivery: Double?
        /// How many clients connected to each port (the nodes of a cluster), in the order the ports were given.
        public var clientsPerPort: [Int] = []
        /// How many server processes the memory and CPU figures add up.
        public var serverProcesses = 0
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() async throws -> Report {
        let options = self.options
        guard options.clients >= 2, (1...options.clients).contains(options.senders), options.messagesPerSender >= 1
        else {
            throw BenchError.invalid("need at least 2 clients, 1 to CLIENTS senders and 1 message")
        }
        return try await BenchEventLoops.with(threads: options.target.threads) { group in
            try await Self.measure(options, group: group)
        }
    }

    private static func measure(_ options: Options, group: MultiThreadedEventLoopGroup) async throws -> Report {

        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let connectStart = ContinuousClock.now
        let connections = try await ConnectionPool.open(
            count: options.clients,
            target: options.target,
            nicknamePrefix: "b\(runID)n",
            messageSize: options.messageSize,
            messagesPerSender: options.messagesPerSender,
            run: runID,
            group: group,
            joinTimeout: options.joinTimeout
        )
        let connectSeconds = Self.seconds(ContinuousClock.now - connectStart)
        defer { for connection in connections { connection.channel.close(promise: nil) } }
        // Let the join notices settle before measuring.
        try await Task.sleep(for: .milliseconds(300))

        let serverBefore = options.target.serverStats()
        let benchBefore = ProcessStats.read(pid: "self")
        let firstSend = NIODeadline.now().uptimeNanoseconds
        let perSenderRate = options.rate / Double(options.senders)
        // The first S clients send; they were spread over the ports like everyone else, so every node has senders.
        let sending = connections.prefix(options.senders).enumerated().map { index, connection in
            // Senders take turns, so a fixed aggregate rate is evenly spaced rather than ten messages at once.
            let offset: TimeAmount = options.rate > 0 ? .nanoseconds(Int64(Double(index) / options.rate * 1e9)) : .zero
            return connection.startSending(
                count: options.messagesPerSender,
                senderIndex: index,
                rate: perSenderRate,
                offset: offset
            )
        }
        for done in sending { try await done.get() }

        // Senders do not get their own messages back in plain mode; in a cluster every member gets every line,
        // whichever node its sender is on.
        let expected = options.senders * options.messagesPerSender * (options.clients - 1)
        let drainDeadline = ContinuousClock.now + options.drainTimeout
        // Poll cheap counters (not the latency arrays) so the bench's own CPU stays out of the measurement.
        while ContinuousClock.now < drainDeadline {
            var arrived = 0
            for connection in connections { arrived += try await connection.arrivals() }
            if arrived >= expected { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        var snapshots: [BenchConnectionHandler.Snapshot] = []
        for connection in connections { snapshots.append(try await connection.snapshot()) }
        let serverAfter = options.target.serverStats()
        let benchAfter = ProcessStats.read(pid: "self")

        let delivered = snapshots.reduce(0) { $0 + $1.delivered }
        let garbled = snapshots.reduce(0) { $0 + $1.garbled }
        let duplicated = snapshots.reduce(0) { $0 + $1.duplicated }
        let echoed = snapshots.reduce(0) { $0 + $1.echoed }
        let lastReceipt = snapshots.map(\.lastReceipt).max() ?? firstSend
        let duration = Double(max(1, lastReceipt &- firstSend)) / 1e9
        var latencies = snapshots.flatMap(\.latenciesMicros)
        latencies.sort()
        func percentile(_ fraction: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.up)) - 1)
            return Double(latencies[max(0, index)]) / 1000
        }
        var serverCPU: Double?
        if let before = serverBefore, let after = serverAfter, delivered > 0 {
            serverCPU = (after.cpuSeconds - before.cpuSeconds) * 1e6 / Double(delivered)
        }
        return Report(
            clients: options.clients,
            senders: options.senders,
            messagesPerSender: options.messagesPerSender,
            messageSize: options.messageSize,
            rate: options.rate,
            connectSeconds: connectSeconds,
            expectedDeliveries: expected,
            delivered: delivered,
            lost: max(0, expected - delivered - garbled),
            garbled: garbled,
            duplicated: duplicated,
            echoed: echoed,
            durationSeconds: duration,
            deliveriesPerSecond: Double(delivered) / duration,
            latencyP50Milliseconds: percentile(0.5),
            latencyP99Milliseconds: percentile(0.99),
            latencyMaxMilliseconds: latencies.last.map { Double($0) / 1000 } ?? 0,
            benchCPUSeconds: (benchAfter?.cpuSeconds ?? 0) - (benchBefore?.cpuSeconds ?? 0),
            serverPeakResidentKiB: serverAfter?.peakResidentKiB,
            serverCPUMicrosecondsPerDelivery: serverCPU,
            clientsPerPort: options.target.clientsPerPort(options.clients),
            serverProcesses: serverAfter == nil ? 0 : options.target.serverPIDs.count
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
