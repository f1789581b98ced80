import ArgumentParser
import ChatBench
import Foundation

/// `chatbench`: load generator for any server that speaks slashchat's plain mode.
@main
struct ChatbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbench",
        abstract: "Measure a chat server: fan-out throughput and latency, or the cost of idle connections.",
        discussion: "Talks the plain protocol (a nickname line, then text lines), so it works against any server that does.",
        subcommands: [Fanout.self, Idle.self]
    )
}

/// Options every benchmark takes.
struct TargetOptions: ParsableArguments {
    @Option(help: "The server's address (keep load on this machine).")
    var host = "127.0.0.1"

    @Option(help: "The server's port.")
    var port: Int

    @Option(help: "The server's process id, to report its memory and CPU from /proc.")
    var serverPid: Int?

    @Option(help: "Event loops for the bench's own clients.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the report as JSON.")
    var json = false

    /// The target as the benchmarks take it.
    var benchTarget: BenchTarget {
        BenchTarget(host: self.host, port: self.port, serverPID: self.serverPid, threads: self.threads)
    }

    func validate() throws {
        guard (1...65535).contains(self.port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard self.threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
    }
}

extension ChatbenchCommand {
    struct Fanout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "N clients in one room, S of them sending M messages each; counts deliveries, latency and losses."
        )

        @OptionGroup var target: TargetOptions

        @Option(name: .shortAndLong, help: "Clients in the room (N).")
        var clients = 100

        @Option(name: .shortAndLong, help: "How many of them send (S).")
        var senders = 10

        @Option(name: .shortAndLong, help: "Messages each sender sends (M).")
        var messages = 1000

        @Option(help: "Bytes per message.")
        var size = 64

        @Option(help: "Aggregate messages per second across all senders; 0 sends as fast as back-pressure allows.")
        var rate: Double = 0

        @Option(help: "Seconds to wait for stragglers after the last send.")
        var drainTimeout: Double = 5

        func validate() throws {
            guard (2...100_000).contains(self.clients) else { throw ValidationError("--clients must be 2...100000.") }
            guard (1...self.clients).contains(self.senders) else { throw ValidationError("--senders must be 1...clients.") }
            guard (1...10_000_000).contains(self.messages) else { throw ValidationError("--messages must be 1...10000000.") }
            guard (48...4000).contains(self.size) else { throw ValidationError("--size must be 48...4000 bytes.") }
            guard self.rate >= 0, (0.1...600).contains(self.drainTimeout) else {
                throw ValidationError("--rate must be 0 or more and --drain-timeout 0.1...600 s.")
            }
        }

        func run() async throws {
            var options = FanoutBenchmark.Options(target: self.target.benchTarget)
            options.clients = self.clients
            options.senders = self.senders
            options.messagesPerSender = self.messages
            options.messageSize = self.size
            options.rate = self.rate
            options.drainTimeout = .milliseconds(Int(self.drainTimeout * 1000))
            let report = try await FanoutBenchmark(options: options).run()
            print(self.target.json ? try ReportFormatter.json(report) : ReportFormatter.table(report))
        }
    }

    struct Idle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open N connections that join and stay idle; report the time taken and server memory per connection."
        )

        @OptionGroup var target: TargetOptions

        @Option(name: .shortAndLong, help: "Connections to open.")
        var clients = 1000

        func validate() throws {
            guard (1...100_000).contains(self.clients) else { throw ValidationError("--clients must be 1...100000.") }
        }

        func run() async throws {
            var options = IdleBenchmark.Options(target: self.target.benchTarget)
            options.clients = self.clients
            let report = try await IdleBenchmark(options: options).run()
            print(self.target.json ? try ReportFormatter.json(report) : ReportFormatter.table(report))
        }
    }
}
