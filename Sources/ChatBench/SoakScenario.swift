import Foundation
import NIOCore
import NIOPosix

/// A bounded soak: everything hostile at once, then proof that nothing was lost.
///
/// Stable readers join first, each in one room, and read promptly all run long. Around them, for `duration`:
/// steady senders (room messages, bulk messages, private messages to readers), flooders that burst past flood
/// control, slow readers that never read, and `clients` short-lived churn clients that join, change rooms, send
/// messages with escape sequences and invalid UTF-8, run `/cowsay` and plugins, send over-long lines, and leave by
/// `/quit`, a clean close, or a reset in the middle of a line. Every message carries a unique token, and the soak
/// knows which room each went to (see ``SoakClient``), so the check is exact: every owed message reached every
/// stable reader of its room (or the one it was addressed to), once, in its sender's order; no client received a
/// control character or invalid UTF-8; the server's RSS came back near its baseline (``ResidentMemoryRule``) and a
/// fresh client still gets an answer.
public struct SoakScenario: Sendable {
    public struct Options: Sendable {
        public var target: BenchTarget
        /// How long the load runs (the drain and the checks come after).
        public var duration: Duration = .seconds(10)
        /// Short-lived churn clients over the run.
        public var clients = 300
        /// Churn clients connected at once, at most.
        public var concurrency = 48
        /// Rooms: `#main` and `rooms - 1` of the soak's own.
        public var rooms = 3
        public var readersPerRoom = 2
        public var sendersPerRoom = 2
        /// Messages per second from each steady sender.
        public var senderRate: Double = 8
        public var flooders = 2
        /// Lines in one flood burst: well above the server's `--flood-burst`, so flood control has to step in.
        public var floodBurst = 100
        public var slowReaders = 3
        public var messageSize = 64
        /// Bytes in the bulk messages that fill slow readers' queues (under the 4096-byte line cap).
        public var bulkMessageSize = 3000
        /// Clients that join and leave before the baseline is read, to warm up first-use allocations.
        public var warmUpClients = 30
        /// Time limit for a scripted step (a join, an answer to a command); generous for a loaded machine.
        public var stepTimeout: Duration = .seconds(30)
        /// How long to wait for stragglers after the last sender finished.
        public var drainTimeout: Duration = .seconds(30)
        /// How long the server may take to give memory back after everyone left.
        public var settleTimeout: Duration = .seconds(10)
        public var memoryRule = ResidentMemoryRule.standard

        public init(target: BenchTarget) {
            self.target = target
        }
    }

    /// The figures of one soak, and its verdict.
    public struct Report: Sendable, Codable, Equatable {
        public var durationSeconds: Double
        public var rooms: Int
        /// Every connection the soak opened (warm-up, readers, senders, flooders, slow readers, churn, the probe).
        public var connections: Int
        public var stableReaders: Int
        public var churnClients: Int
        /// Token messages sent (room and private), and how many of them were private.
        public var messagesSent: Int
        public var privateMessages: Int
        /// Deliveries to stable readers: owed, arrived, and the exact check's findings.
        public var owedDeliveries: Int
        public var delivered: Int
        public var lost: Int
        public var outOfOrder: Int
        public var duplicated: Int
        public var misrouted: Int
        public var unknown: Int
        public var garbled: Int
        /// Lines in flight at a reset (not owed), and how many of their deliveries arrived anyway.
        public var uncertainMessages: Int
        public var uncertainArrived: Int
        /// Faults injected.
        public var hostileLines: Int
        public var overlongLines: Int
        public var overlongRefusals: Int
        public var floodBursts: Int
        public var floodLines: Int
        public var slowDownNotices: Int
        public var slowReaders: Int
        public var slowReadersDropped: Int
        public var commandsRun: Int
        public var blockHeadersSeen: Int
        public var roomChanges: Int
        public var quits: Int
        public var cleanCloses: Int
        public var resets: Int
        public var midLineCuts: Int
        /// What readers received, and what must never have been in it.
        public var readerLines: Int
        public var readerBytes: Int
        public var controlLines: Int
        public var invalidUTF8Lines: Int
        public var overlongLeaks: Int
        public var stableClientsDropped: Int
        public var firstBadLine: String?
        /// Scripted steps that timed out or connections that failed.
        public var timeouts: Int
        public var connectFailures: Int
        public var firstFailure: String?
        /// Server memory (nil without `--server-pid`).
        public var residentBaselineKiB: Int?
        public var residentPeakKiB: Int?
        public var residentAfterKiB: Int?
        public var residentAllowedAfterKiB: Int?
        public var memoryRule: ResidentMemoryRule
        public var serverAnswered: Bool
        /// The first problems found, described.
        public var examples: [String]
        /// Every rule broken; empty when the soak passed.
        public var failures: [String]
        /// True when ``failures`` is empty.
        public var passed: Bool
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() async throws -> Report {
        let options = self.options
        guard options.rooms >= 1, options.readersPerRoom >= 1, options.clients >= 0, options.concurrency >= 1,
            options.messageSize >= 48, options.bulkMessageSize >= options.messageSize,
            options.bulkMessageSize <= 3500, options.senderRate > 0, options.floodBurst >= 1
        else {
            throw BenchError.invalid(
                "need at least 1 room and 1 reader per room, a concurrency of 1, messages of 48...3500 bytes"
            )
        }
        return try await BenchEventLoops.with(threads: options.target.threads) { group in
            try await Self.soak(options, group: group)
        }
    }

    private static func soak(_ options: Options, group: MultiThreadedEventLoopGroup) async throws -> Report {
        let cast = SoakCast(options: options, group: group)
        let serverPID = options.target.serverPID.map { String($0) }
        let resident: @Sendable () -> Int? = { serverPID.flatMap { ProcessStats.read(pid: $0)?.residentKiB } }

        var tally = SoakTally()
        tally += await cast.warmUp()
        try await Task.sleep(for: .seconds(1))
        let baseline = resident()

        // Peak: sampled while the load runs.
        let sampler = Task<Int?, Never> {
            var peak = resident()
            while !Task.isCancelled {
                if let now = resident() { peak = max(peak ?? now, now) }
                try? await Task.sleep(for: .milliseconds(200))
            }
            return peak
        }
        // Stopped below once the load is over; this covers a run that ends early with an error.
        defer { sampler.cancel() }

        let start = ContinuousClock.now
        let readers = try await cast.openReaders()
        tally.connections += readers.count
        let loadEnds = ContinuousClock.now + options.duration
        let slow = await cast.openSlowReaders()
        tally += slow.tally
        tally += await withTaskGroup(of: SoakTally.self) { roles in
            roles.addTask { await cast.runSenders(until: loadEnds) }
            roles.addTask { await cast.runFlooders(until: loadEnds) }
            roles.addTask { await cast.runChurn(until: loadEnds) }
            var total = SoakTally()
            for await part in roles { total += part }
            return total
        }

        // Everything is sent and every sender has left; wait for the readers to have what they are owed.
        let owedPerReader = readers.map { reader in
            let here: Set<SentMessage.Destination> = [.room(reader.room), .reader(reader.nickname.lowercased())]
            return tally.sent.filter { $0.owed && here.contains($0.destination) }.count
        }
        let drainEnds = ContinuousClock.now + options.drainTimeout
        while ContinuousClock.now < drainEnds {
            var behind = 0
            for (reader, owed) in zip(readers, owedPerReader) {
                let arrived = try await reader.connection.arrivals()
                if arrived < owed { behind += 1 }
            }
            if behind == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // A moment more for anything that should not come (duplicates, misroutes) to show up.
        try await Task.sleep(for: .milliseconds(500))

        var readerLogs: [DeliveryCheck.Reader] = []
        var garbled = 0
        for var reader in readers {
            let snapshot = try await reader.connection.snapshot()
            garbled += snapshot.garbled
            readerLogs.append(
                DeliveryCheck.Reader(
                    nickname: reader.nickname,
                    room: reader.room,
                    receipts: snapshot.receipts ?? ReceiptLog()
                )
            )
            try? await reader.quit(timeout: options.stepTimeout)
        }
        for var client in slow.clients { await client.resetAbruptly() }
        let durationSeconds = FanoutBenchmark.seconds(ContinuousClock.now - start)

        let check = DeliveryCheck.check(sent: tally.sent, readers: readerLogs)
        let dropped = Set(readerLogs.flatMap(\.receipts.droppedNicknames).map { $0.lowercased() })
        let slowNicknames = Set(slow.clients.map { $0.nickname.lowercased() })
        let stableNicknames = Set(readers.map { $0.nickname.lowercased() })

        // The server must still answer a newcomer.
        let serverAnswered = await cast.probe()
        tally.connections += 1

        sampler.cancel()
        var peak = await sampler.value
        var after = resident()
        var allowed: Int?
        if let baseline {
            let settleEnds = ContinuousClock.now + options.settleTimeout
            while let now = resident(), ContinuousClock.now < settleEnds {
                after = now
                peak = max(peak ?? now, now)
                if options.memoryRule.holds(baselineKiB: baseline, peakKiB: peak!, afterKiB: now) { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            allowed = options.memoryRule.allowedAfter(baselineKiB: baseline, peakKiB: max(peak ?? baseline, baseline))
        }

        let receipts = readerLogs.map(\.receipts)
        var report = Report(
            durationSeconds: durationSeconds,
            rooms: options.rooms,
            connections: tally.connections,
            stableReaders: readers.count,
            churnClients: options.clients,
            messagesSent: tally.sent.count,
            privateMessages: tally.privateMessages,
            owedDeliveries: check.owed,
            delivered: check.delivered,
            lost: check.lost,
            outOfOrder: check.outOfOrder,
            duplicated: check.duplicated,
            misrouted: check.misrouted,
            unknown: check.unknown,
            garbled: garbled,
            uncertainMessages: tally.sent.filter { !$0.owed }.count,
            uncertainArrived: check.uncertainArrived,
            hostileLines: tally.hostileLines,
            overlongLines: tally.overlongLines,
            overlongRefusals: tally.overlongRefusals,
            floodBursts: tally.floodBursts,
            floodLines: tally.floodLines,
            slowDownNotices: tally.slowDownNotices,
            slowReaders: slow.clients.count,
            slowReadersDropped: dropped.intersection(slowNicknames).count,
            commandsRun: tally.commandsRun,
            blockHeadersSeen: receipts.reduce(0) { $0 + $1.blockHeaders },
            roomChanges: tally.roomChanges,
            quits: tally.quits,
            cleanCloses: tally.cleanCloses,
            resets: tally.resets,
            midLineCuts: tally.midLineCuts,
            readerLines: receipts.reduce(0) { $0 + $1.lines },
            readerBytes: receipts.reduce(0) { $0 + $1.bytes },
            controlLines: receipts.reduce(tally.controlLines) { $0 + $1.controlLines },
            invalidUTF8Lines: receipts.reduce(tally.invalidUTF8Lines) { $0 + $1.invalidUTF8Lines },
            overlongLeaks: receipts.reduce(0) { $0 + $1.forbiddenLines },
            stableClientsDropped: dropped.intersection(stableNicknames).count,
            firstBadLine: receipts.compactMap(\.firstBadLine).first ?? tally.firstBadLine,
            timeouts: tally.timeouts,
            connectFailures: tally.connectFailures,
            firstFailure: tally.firstFailure,
            residentBaselineKiB: baseline,
            residentPeakKiB: peak,
            residentAfterKiB: after,
            residentAllowedAfterKiB: allowed,
            memoryRule: options.memoryRule,
            serverAnswered: serverAnswered,
            examples: check.examples,
            failures: [],
            passed: false
        )
        report.failures = Self.failures(of: report)
        report.passed = report.failures.isEmpty
        return report
    }

    /// Every rule the report breaks.
    static func failures(of report: Report) -> [String] {
        var failures: [String] = []
        func rule(_ holds: Bool, _ text: @autoclosure () -> String) {
            if !holds { failures.append(text()) }
        }
        rule(report.lost == 0, "\(report.lost) owed deliveries never reached a stable reader")
        rule(report.outOfOrder == 0, "\(report.outOfOrder) deliveries out of their sender's order")
        rule(report.duplicated == 0, "\(report.duplicated) deliveries duplicated")
        rule(report.misrouted == 0, "\(report.misrouted) deliveries reached a reader they were not meant for")
        rule(report.unknown == 0, "\(report.unknown) tokens nobody sent")
        rule(report.garbled == 0, "\(report.garbled) tokens arrived damaged")
        rule(report.controlLines == 0, "\(report.controlLines) received lines held a control character")
        rule(report.invalidUTF8Lines == 0, "\(report.invalidUTF8Lines) received lines were not valid UTF-8")
        rule(report.overlongLeaks == 0, "\(report.overlongLeaks) over-long lines were delivered")
        rule(
            report.overlongRefusals == report.overlongLines,
            "\(report.overlongLines - report.overlongRefusals) over-long lines got no `! ` answer"
        )
        rule(report.stableClientsDropped == 0, "\(report.stableClientsDropped) stable clients were dropped as slow")
        rule(report.timeouts == 0, "\(report.timeouts) scripted steps got no answer in time")
        rule(report.connectFailures == 0, "\(report.connectFailures) connections failed")
        rule(report.owedDeliveries > 0, "no deliveries were owed: the soak measured nothing")
        rule(report.serverAnswered, "the server did not answer a new client after the soak")
        if let after = report.residentAfterKiB, let allowed = report.residentAllowedAfterKiB {
            rule(
                after <= allowed,
                "server RSS stayed at \(after) KiB after everyone left; at most \(allowed) KiB allowed"
            )
        }
        return failures
    }
}
