import ArgumentParser
import ChatBench
import Foundation

/// `chatbench`: load generator for any server that speaks slashchat's plain mode.
@main
struct ChatbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbench",
        abstract:
            "Measure a chat server: fan-out throughput and latency, the cost of idle connections, or a soak that "
            + "proves nothing is lost.",
        discussion: """
            Talks slashchat's plain protocol (a nickname line, then text lines), so it works against any server that \
            does; IRC (--dialect irc: NICK/USER, JOIN #bench, PRIVMSG), to measure an IRC server the same way; or \
            slashchat's web door (--dialect web: a WebSocket on /ws, JSON events back).
            """,
        subcommands: [Fanout.self, Idle.self, Soak.self]
    )
}

/// Options every benchmark takes.
struct TargetOptions: ParsableArguments {
    @Option(help: "The server's address (keep load on this machine).")
    var host = "127.0.0.1"

    @Option(help: "The server's port.")
    var port: Int

    @Option(
        help: ArgumentHelp(
            "Another node of the same cluster (repeatable): clients go round-robin to --port, then each --also-port.",
            valueName: "port"
        )
    )
    var alsoPort: [Int] = []

    @Option(help: "The server's process id, to report its memory and CPU from /proc.")
    var serverPid: Int?

    @Option(
        help: ArgumentHelp(
            "Another node's process id (repeatable): its memory and CPU are added to --server-pid's.",
            valueName: "pid"
        )
    )
    var alsoServerPid: [Int] = []

    @Option(help: "Event loops for the bench's own clients.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: """
            The protocol the server speaks: slashchat (plain lines), irc (NICK/USER, JOIN #bench, PRIVMSG) or web (the \
            web door's WebSocket on /ws; with --tls, wss).
            """
    )
    var dialect: BenchDialect = .slashchat

    @Flag(help: "Connect over TLS (the server's --tls-port); its certificate is not checked.")
    var tls = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    /// The target as the benchmarks take it.
    var benchTarget: BenchTarget {
        BenchTarget(
            host: self.host,
            port: self.port,
            alsoPorts: self.alsoPort,
            serverPID: self.serverPid,
            alsoServerPIDs: self.alsoServerPid,
            threads: self.threads,
            dialect: self.dialect,
            tls: self.tls
        )
    }

    func validate() throws {
        guard (1...65535).contains(self.port), self.alsoPort.allSatisfy({ (1...65535).contains($0) }) else {
            throw ValidationError("--port and --also-port must be between 1 and 65535.")
        }
        guard self.alsoServerPid.isEmpty || self.serverPid != nil else {
            throw ValidationError("--also-server-pid adds to --server-pid: give that first.")
        }
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

        @Option(help: "Seconds all clients may take to connect and join.")
        var joinTimeout: Double = 60

        func validate() throws {
            guard (1...3600).contains(self.joinTimeout) else {
                throw ValidationError("--join-timeout must be 1...3600 s.")
            }
            guard (2...100_000).contains(self.clients) else { throw ValidationError("--clients must be 2...100000.") }
            guard (1...self.clients).contains(self.senders) else {
                throw ValidationError("--senders must be 1...clients.")
            }
            guard (1...10_000_000).contains(self.messages) else {
                throw ValidationError("--messages must be 1...10000000.")
            }
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
            options.joinTimeout = .milliseconds(Int(self.joinTimeout * 1000))
            let report = try await FanoutBenchmark(options: options).run()
            print(self.target.json ? try ReportFormatter.json(report) : ReportFormatter.table(report))
        }
    }

    struct Idle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Open N connections that join and stay idle; report the time taken and server memory per connection."
        )

        @OptionGroup var target: TargetOptions

        @Option(name: .shortAndLong, help: "Connections to open.")
        var clients = 1000

        @Option(help: "Seconds all connections may take to connect and join.")
        var joinTimeout: Double = 120

        @Flag(
            help:
                """
                Connect each client only once the previous one has joined (some servers register slowly when many \
                connect at once).
                """
        )
        var oneAtATime = false

        func validate() throws {
            guard (1...100_000).contains(self.clients) else { throw ValidationError("--clients must be 1...100000.") }
            guard (1...3600).contains(self.joinTimeout) else {
                throw ValidationError("--join-timeout must be 1...3600 s.")
            }
        }

        func run() async throws {
            var options = IdleBenchmark.Options(target: self.target.benchTarget)
            options.clients = self.clients
            options.joinTimeout = .milliseconds(Int(self.joinTimeout * 1000))
            options.joinsOneAtATime = self.oneAtATime
            let report = try await IdleBenchmark(options: options).run()
            print(self.target.json ? try ReportFormatter.json(report) : ReportFormatter.table(report))
        }
    }

    struct Soak: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Everything hostile at once for a while, then check that nothing was lost, nothing dirty arrived, "
                + "memory came back and the server still answers.",
            discussion: """
                Needs a slashchat server (it uses /join, /whois, /msg, /quit and the flood-control and over-long \
                line answers). Start it with --commands-dir pointing at the repository's commands/ folder, so the \
                plugins run too. Exits 1 when any check fails.
                """
        )

        @OptionGroup var target: TargetOptions

        @Option(help: "Seconds of load (the drain and checks come after).")
        var duration: Double = 10

        @Option(name: .shortAndLong, help: "Short-lived churn clients over the run.")
        var clients = 300

        @Option(help: "Churn clients connected at once, at most.")
        var concurrency = 48

        @Option(help: "Rooms: #main plus ROOMS-1 of the soak's own.")
        var rooms = 3

        @Option(help: "Stable readers in every room.")
        var readersPerRoom = 2

        @Option(help: "Steady senders in every room.")
        var sendersPerRoom = 2

        @Option(help: "Messages per second from each steady sender.")
        var senderRate: Double = 8

        @Option(help: "Flooding clients.")
        var flooders = 2

        @Option(help: "Lines per flood burst (keep it above the server's --flood-burst).")
        var floodBurst = 100

        @Option(help: "Clients that stop reading.")
        var slowReaders = 3

        @Option(help: "Clients that join and leave before the memory baseline is read.")
        var warmUpClients = 30

        @Option(help: "Allowed RSS growth after the run that no run goes below, in MiB.")
        var rssFloor = ResidentMemoryRule.standard.floorKiB / 1024

        @Option(help: "Allowed RSS growth after the run, as a fraction of the peak growth.")
        var rssFraction = ResidentMemoryRule.standard.fractionOfGrowth

        func validate() throws {
            guard self.target.dialect == .slashchat else {
                throw ValidationError("soak drives slashchat's commands and rooms; it has no --dialect irc or web.")
            }
            guard !self.target.tls else {
                throw ValidationError("soak runs over plain TCP; it has no --tls.")
            }
            guard self.target.alsoPort.isEmpty, self.target.alsoServerPid.isEmpty else {
                throw ValidationError("soak runs against one server: it takes no --also-port or --also-server-pid.")
            }
            guard (0.5...86_400).contains(self.duration) else {
                throw ValidationError("--duration must be 0.5...86400 s.")
            }
            guard (0...1_000_000).contains(self.clients) else {
                throw ValidationError("--clients must be 0...1000000.")
            }
            guard (1...10_000).contains(self.concurrency) else {
                throw ValidationError("--concurrency must be 1...10000.")
            }
            guard (1...26).contains(self.rooms), (1...100).contains(self.readersPerRoom),
                (0...100).contains(self.sendersPerRoom), (0...100).contains(self.flooders),
                (0...100).contains(self.slowReaders), (0...1000).contains(self.warmUpClients)
            else {
                throw ValidationError(
                    "--rooms 1...26, --readers-per-room 1...100; senders, flooders, slow readers 0...100."
                )
            }
            guard self.senderRate > 0, self.senderRate <= 1000, (1...10_000).contains(self.floodBurst) else {
                throw ValidationError("--sender-rate must be 0...1000 (not 0) and --flood-burst 1...10000.")
            }
            guard self.rssFloor >= 0, (0...1).contains(self.rssFraction) else {
                throw ValidationError("--rss-floor must be 0 or more and --rss-fraction 0...1.")
            }
        }

        func run() async throws {
            var options = SoakScenario.Options(target: self.target.benchTarget)
            options.duration = .milliseconds(Int(self.duration * 1000))
            options.clients = self.clients
            options.concurrency = self.concurrency
            options.rooms = self.rooms
            options.readersPerRoom = self.readersPerRoom
            options.sendersPerRoom = self.sendersPerRoom
            options.senderRate = self.senderRate
            options.flooders = self.flooders
            options.floodBurst = self.floodBurst
            options.slowReaders = self.slowReaders
            options.warmUpClients = self.warmUpClients
            options.memoryRule = ResidentMemoryRule(floorKiB: self.rssFloor * 1024, fractionOfGrowth: self.rssFraction)
            let report = try await SoakScenario(options: options).run()
            print(self.target.json ? try ReportFormatter.json(report) : ReportFormatter.table(report))
            if !report.passed { throw ExitCode(1) }
        }
    }
}

extension BenchDialect: ExpressibleByArgument {}
