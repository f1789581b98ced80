import ChatBench
import ChatTesting

extension FanoutBenchmark.Options {
    /// A tiny run against `target`: 5 clients, 2 of them sending 20 messages of 64 bytes each, so 2 × 20 × 4 = 160
    /// deliveries are expected; two bench threads. The drain timeout is a ceiling, not a wait: the run ends as soon
    /// as every delivery is in.
    static func tiny(_ target: BenchTarget, rate: Double = 0) -> Self {
        var options = FanoutBenchmark.Options(target: target)
        options.clients = 5
        options.senders = 2
        options.messagesPerSender = 20
        options.messageSize = 64
        options.rate = rate
        options.target.threads = 2
        options.drainTimeout = TestTime.expected
        options.joinTimeout = TestTime.process
        return options
    }
}
