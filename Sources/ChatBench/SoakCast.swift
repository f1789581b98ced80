import NIOCore
import NIOPosix

/// The soak's clients and what each kind does: the scripts behind ``SoakScenario``.
///
/// Every kind gets its own range of sender numbers, so a token names its sender exactly, and every step that
/// waits for the server has a time limit.
struct SoakCast: Sendable {
    let options: SoakScenario.Options
    let group: MultiThreadedEventLoopGroup
    /// This run's id: in every token and nickname, so an earlier run's leftovers never count.
    let run: String
    /// Room keys; the first is `#main`, where everybody starts.
    let rooms: [String]

    init(options: SoakScenario.Options, group: MultiThreadedEventLoopGroup) {
        self.options = options
        self.group = group
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        self.run = run
        self.rooms = ["#main"] + (1..<max(1, options.rooms)).map { "#soak\(run)\($0)" }
    }

    // MARK: Names

    private func nickname(_ kind: String, _ index: Int) -> String {
        // The trailing letter keeps `kr1z` from being found inside `kr10z`.
        "k\(self.run)\(kind)\(index)z"
    }

    private var readerCount: Int { self.rooms.count * self.options.readersPerRoom }

    /// Stable reader `index` sits in room `index % rooms`.
    private func reader(_ index: Int) -> (nickname: String, room: String) {
        (self.nickname("r", index), self.rooms[index % self.rooms.count])
    }

    /// A reader outside `room` when there is one (a private message must not count as a room delivery).
    private func readerElsewhere(than room: String, pick: Int) -> String {
        let others = (0..<self.readerCount).map(self.reader).filter { $0.room != room }
        let candidates = others.isEmpty ? (0..<self.readerCount).map(self.reader) : others
        return candidates[pick % candidates.count].nickname
    }

    private func connect(
        _ kind: String,
        _ index: Int,
        sender: Int,
        receiveBufferSize: Int? = nil
    ) async throws
        -> SoakClient
    {
        try await SoakClient.connect(
            nickname: self.nickname(kind, index),
            senderIndex: sender,
            run: self.run,
            messageSize: self.options.messageSize,
            bulkMessageSize: self.options.bulkMessageSize,
            target: self.options.target,
            group: self.group,
            receiveBufferSize: receiveBufferSize,
            timeout: self.options.stepTimeout
        )
    }

    /// Connects, moves to `room` and waits until the server confirms it is there.
    private func connect(
        _ kind: String,
        _ index: Int,
        sender: Int,
        in room: String,
        receiveBufferSize: Int? = nil
    )
        async throws -> SoakClient
    {
        var client = try await self.connect(kind, index, sender: sender, receiveBufferSize: receiveBufferSize)
        if room != "#main" { try await client.join(room) }
        try await client.confirm(timeout: self.options.stepTimeout)
        return client
    }

    // MARK: Before and after

    /// Clients that join, chat, run a command and a plugin, and quit, before the baseline is read: the server's
    /// first-use allocations are not the soak's growth.
    func warmUp() async -> SoakTally {
        var tally = SoakTally()
        var next = 0
        while next < self.options.warmUpClients {
            let batch = next..<min(self.options.warmUpClients, next + 10)
            next = batch.upperBound
            tally += await Self.together(batch) { index in
                var tally = SoakTally()
                do {
                    tally.connections += 1
                    var client = try await self.connect("w", index, sender: -1)
                    try await client.connection.send(line: "warming up")
                    try await client.connection.send(line: index.isMultiple(of: 2) ? "/cowsay warm" : "/roll 2d6")
                    try await client.quit(timeout: self.options.stepTimeout)
                } catch {
                    tally.fail(error, "warm-up client \(index)")
                }
                return tally
            }
        }
        return tally
    }

    /// Runs `body` for every index at once and adds up what they did.
    private static func together(
        _ indices: Range<Int>,
        _ body: @escaping @Sendable (Int) async -> SoakTally
    ) async -> SoakTally {
        await withTaskGroup(of: SoakTally.self) { clients in
            for index in indices {
                clients.addTask { await body(index) }
            }
            var total = SoakTally()
            for await part in clients { total += part }
            return total
        }
    }

    /// Opens the stable readers, each in its room, and returns once all are there.
    func openReaders() async throws -> [SoakClient] {
        try await withThrowingTaskGroup(of: (Int, SoakClient).self) { clients in
            for index in 0..<self.readerCount {
                clients.addTask {
                    (index, try await self.connect("r", index, sender: -1, in: self.reader(index).room))
                }
            }
            var readers: [(Int, SoakClient)] = []
            for try await reader in clients { readers.append(reader) }
            return readers.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A fresh client after the soak: does the server still answer?
    func probe() async -> Bool {
        do {
            var client = try await self.connect("p", 0, sender: -1)
            try await client.confirm(timeout: self.options.stepTimeout)
            try await client.quit(timeout: self.options.stepTimeout)
            return true
        } catch {
            return false
        }
    }

    // MARK: The load

    /// Clients that join a room, stop reading, and stay (small receive buffers, so the server's queue for them
    /// fills): the server may drop them, and their room must not notice.
    func openSlowReaders() async -> (clients: [SoakClient], tally: SoakTally) {
        var clients: [SoakClient] = []
        var tally = SoakTally()
        for index in 0..<self.options.slowReaders {
            tally.connections += 1
            do {
                let client = try await self.connect(
                    "l",
                    index,
                    sender: -1,
                    in: self.rooms[index % self.rooms.count],
                    receiveBufferSize: 4096
                )
                try await client.connection.stopReading()
                clients.append(client)
            } catch {
                tally.fail(error, "slow reader \(index)")
            }
        }
        return (clients, tally)
    }

    /// Steady senders, `sendersPerRoom` in every room: messages at `senderRate`, every tenth one bulk, some with
    /// hostile bytes, some private to a reader in another room; then `/quit`.
    func runSenders(until end: ContinuousClock.Instant) async -> SoakTally {
        let perRoom = self.options.sendersPerRoom
        return await Self.together(0..<(self.rooms.count * perRoom)) { index in
            await self.runSender(index, in: self.rooms[index / perRoom], until: end)
        }
    }

    private func runSender(_ index: Int, in room: String, until end: ContinuousClock.Instant) async -> SoakTally {
        var tally = SoakTally()
        tally.connections += 1
        var client: SoakClient?
        do {
            client = try await self.connect("s", index, sender: index, in: room)
            let interval = Duration.nanoseconds(Int64(1e9 / self.options.senderRate))
            var number = 0
            var due = ContinuousClock.now
            while ContinuousClock.now < end {
                if number % 12 == 5 {
                    try await client!.privateMessage(to: self.readerElsewhere(than: room, pick: number + index))
                    tally.privateMessages += 1
                } else if number % 15 == 7 {
                    let hostile = SoakClient.hostilePrefixes[(number / 15 + index) % SoakClient.hostilePrefixes.count]
                    try await client!.say(hostile: hostile)
                    tally.hostileLines += 1
                } else {
                    try await client!.say(size: number % 10 == 9 ? self.options.bulkMessageSize : nil)
                }
                number += 1
                due += interval
                try await Task.sleep(until: due)
            }
            try await client!.quit(timeout: self.options.stepTimeout)
            tally.quits += 1
        } catch {
            tally.fail(error, "sender \(index)")
            await client?.resetAbruptly()
        }
        await tally.collect(client)
        return tally
    }

    /// Flooders: bursts of `floodBurst` lines at once (half of them bulk), each burst confirmed before the next,
    /// so flood control delays them while the soak's backlog stays bounded; then `/quit`.
    func runFlooders(until end: ContinuousClock.Instant) async -> SoakTally {
        await Self.together(0..<self.options.flooders) { index in
            await self.runFlooder(index, until: end)
        }
    }

    private func runFlooder(_ index: Int, until end: ContinuousClock.Instant) async -> SoakTally {
        var tally = SoakTally()
        tally.connections += 1
        var client: SoakClient?
        do {
            client = try await self.connect("f", index, sender: 1000 + index, in: self.rooms[index % self.rooms.count])
            // Flood control lets a burst through, then about `rate` lines a second: give a burst all that time.
            let confirmTimeout = self.options.stepTimeout + .seconds(self.options.floodBurst)
            repeat {
                var burst = ByteBuffer()
                for line in 0..<self.options.floodBurst {
                    var message = client!.messageLine(size: line.isMultiple(of: 2) ? self.options.bulkMessageSize : nil)
                    burst.writeBuffer(&message)
                }
                try await client!.connection.send(burst)
                tally.floodBursts += 1
                tally.floodLines += self.options.floodBurst
                try await client!.confirm(timeout: confirmTimeout)
            } while ContinuousClock.now < end
            try await client!.quit(timeout: self.options.stepTimeout)
            tally.quits += 1
        } catch {
            tally.fail(error, "flooder \(index)")
            await client?.resetAbruptly()
        }
        await tally.collect(client)
        return tally
    }

    /// `clients` churn clients, started evenly over the run, at most `concurrency` at once.
    func runChurn(until end: ContinuousClock.Instant) async -> SoakTally {
        let count = self.options.clients
        guard count > 0 else { return SoakTally() }
        let start = ContinuousClock.now
        let spacing = (end - start) / count
        return await withTaskGroup(of: SoakTally.self) { churn in
            var total = SoakTally()
            var running = 0
            for index in 0..<count {
                if running >= self.options.concurrency, let part = await churn.next() {
                    total += part
                    running -= 1
                }
                try? await Task.sleep(until: start + spacing * index)
                churn.addTask { await self.runChurnClient(index) }
                running += 1
            }
            for await part in churn { total += part }
            return total
        }
    }

    /// What a churn client may run: built-ins, `/cowsay` (hostile text included), the shipped plugins, a legacy
    /// form; `/who` and `/rooms` answer the caller only.
    private static let commands = [
        "/cowsay moo from the soak",
        "/roll 2d6",
        "/cowsay -f cat \u{1B}[5mblink\u{1B}[0m purr \u{07}",
        "/8ball will it hold?",
        "/shrug",
        "/cowthink hmm",
        "/tableflip",
        "/who",
        "/shrug/",
        "/rooms",
    ]

    /// One churn client: joins, maybe changes rooms (twice), sends a few messages (some hostile), maybe a private
    /// message, a command, an over-long line; then leaves by `/quit`, a clean close, or a reset in mid-line.
    private func runChurnClient(_ index: Int) async -> SoakTally {
        var tally = SoakTally()
        tally.connections += 1
        let sender = 10_000 + index
        var client: SoakClient?
        do {
            client = try await self.connect("c", index, sender: sender)
            if index % 3 != 2, self.rooms.count > 1 {
                try await client!.join(self.rooms[1 + index % (self.rooms.count - 1)])
                tally.roomChanges += 1
            }
            for number in 0..<(1 + index % 4) {
                if (index + number) % 3 == 0 {
                    try await client!.say(
                        hostile: SoakClient.hostilePrefixes[(index + number) % SoakClient.hostilePrefixes.count]
                    )
                    tally.hostileLines += 1
                } else {
                    try await client!.say()
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...40)))
            }
            if index % 5 == 0 {
                try await client!.privateMessage(to: self.readerElsewhere(than: client!.room, pick: index))
                tally.privateMessages += 1
            }
            if index % 2 == 0 {
                try await client!.connection.send(line: Self.commands[(index / 2) % Self.commands.count])
                tally.commandsRun += 1
            }
            if index % 6 == 1 {
                let room = self.rooms[(index / 6) % self.rooms.count]
                try await client!.join(room)
                tally.roomChanges += 1
                try await client!.say()
            }
            if index % 7 == 3 {
                let line =
                    String(decoding: ReceiptLog.forbiddenMarker(run: self.run), as: UTF8.self)
                    + String(repeating: "y", count: 5000)
                tally.overlongLines += 1
                try await client!.connection.request(line, reply: "was discarded", timeout: self.options.stepTimeout)
                tally.overlongRefusals += 1
                try await client!.say()
            }
            switch index % 4 {
            case 0:
                try await client!.quit(timeout: self.options.stepTimeout)
                tally.quits += 1
            case 1:
                await client!.closeCleanly(timeout: self.options.stepTimeout)
                tally.cleanCloses += 1
            case 2:
                // Confirmed up to here; then lines in flight, half a line, and a reset.
                try await client!.confirm(timeout: self.options.stepTimeout)
                for _ in 0..<(index / 4 % 3) { try await client!.say() }
                try await client!.connection.send(ByteBuffer(bytes: Array("half a line \u{1B}[".utf8) + [0xFF]))
                await client!.resetAbruptly()
                tally.resets += 1
                tally.midLineCuts += 1
            default:
                // A line that never ends, past the length cap, then a reset.
                try await client!.confirm(timeout: self.options.stepTimeout)
                var endless = ByteBuffer(bytes: ReceiptLog.forbiddenMarker(run: self.run))
                endless.writeRepeatingByte(UInt8(ascii: "z"), count: 6000)
                try await client!.connection.send(endless)
                await client!.resetAbruptly()
                tally.resets += 1
                tally.midLineCuts += 1
            }
        } catch {
            tally.fail(error, "churn client \(index)")
            // Whatever it sent after its last confirmation may not have been read.
            await client?.resetAbruptly()
        }
        await tally.collect(client)
        return tally
    }
}
