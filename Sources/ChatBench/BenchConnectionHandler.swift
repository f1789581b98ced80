import ChatProtocol
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One benchmark client: joins under its nickname, optionally sends its share of messages, and records every
/// token it receives. Runs on its channel's event loop only; results leave through ``snapshot()`` after a hop
/// to that loop.
final class BenchConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What one client saw.
    struct Snapshot: Sendable {
        var delivered = 0
        var garbled = 0
        var duplicated = 0
        var echoed = 0
        var latenciesMicros: [UInt32] = []
        var lastReceipt: UInt64 = 0
        var sent = 0
        /// What a soak client noticed, line by line; nil for benchmark clients.
        var receipts: ReceiptLog?
    }

    private let nickname: String
    private let dialect: BenchDialect
    /// The dialect's bytes around each message, made once: `writeOne` runs for every message sent.
    private let messagePrefix: [UInt8]
    private let lineEnd: [UInt8]
    private let tokenEnd: UInt8?
    private let messageSize: Int
    private let messagesPerSender: Int
    private let run: String
    private let marker: [UInt8]
    /// One bit per (sender, sequence) seen, so a duplicate cannot stand in for a loss.
    private var seen: [[UInt64]] = []
    /// This client's sender index once it sends; -1 for receivers.
    private var ownSenderIndex = -1
    private let joined: EventLoopPromise<Void>
    private var isJoined = false
    private var results = Snapshot()
    private var context: ChannelHandlerContext?
    /// The start of a line whose end has not arrived yet.
    private var partialLine = ByteBuffer()
    /// Skipping the rest of a line that grew past ``maximumLineLength``.
    private var discardingLongLine = false
    /// Longer than any line a benchmark run produces.
    static let maximumLineLength = 64 * 1024
    /// A second size tokens may have (a soak's bulk messages); nil when there is one.
    private let alternateMessageSize: Int?
    /// The over-long lines' marker, for a soak client.
    private let forbiddenMarker: [UInt8]
    /// Scripted clients wait for a line containing a needle; the first such line completes the promise.
    private var waiters: [(id: Int, needle: [UInt8], promise: EventLoopPromise<Void>)] = []
    private var nextWaiterID = 0

    // Sending state.
    private var toSend = 0
    private var senderIndex = 0
    private var rate: Double = 0
    private var sendStartedAt: UInt64 = 0
    private var sendingDone: EventLoopPromise<Void>?
    /// The wake-up for the next message due in rate mode.
    private var nextSend: Scheduled<Void>?

    /// - Parameters:
    ///   - keepsReceipts: keep a ``ReceiptLog`` (a soak client): every line inspected, every token kept in order.
    ///   - alternateMessageSize: a second size a token may have, for a soak's bulk messages.
    init(
        nickname: String,
        messageSize: Int,
        messagesPerSender: Int,
        run: String,
        joined: EventLoopPromise<Void>,
        dialect: BenchDialect = .slashchat,
        keepsReceipts: Bool = false,
        alternateMessageSize: Int? = nil
    ) {
        self.nickname = nickname
        self.dialect = dialect
        self.messagePrefix = dialect.messagePrefix
        self.lineEnd = dialect.lineEnd
        self.tokenEnd = dialect.tokenEnd
        self.run = run
        self.marker = MessageToken.marker(run: run)
        self.messageSize = messageSize
        self.messagesPerSender = messagesPerSender
        self.joined = joined
        self.alternateMessageSize = alternateMessageSize
        self.forbiddenMarker = ReceiptLog.forbiddenMarker(run: run)
        if keepsReceipts { self.results.receipts = ReceiptLog() }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.nextSend?.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendLine(self.dialect.greeting(nickname: self.nickname), context: context)
        context.fireChannelActive()
    }

    private func sendLine(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.joined.fail(ChannelError.ioOnClosedChannel)
        self.sendingDone?.fail(ChannelError.ioOnClosedChannel)
        for waiter in self.waiters { waiter.promise.fail(ChannelError.ioOnClosedChannel) }
        self.waiters = []
        context.fireChannelInactive()
    }

    /// Splits what arrived into lines itself, on the raw bytes: at a few million deliveries a second, a buffer
    /// and a pipeline hop per line (`ByteToMessageHandler`) made the bench slower than the server it measured.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        // One clock read per read call: lines that arrived together arrived at the same time.
        let receivedAt = NIODeadline.now().uptimeNanoseconds
        if self.partialLine.readableBytes > 0 || self.discardingLongLine {
            guard let newline = bytes.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                self.keepPartialLine(&bytes)
                return
            }
            var rest = bytes.readSlice(length: newline - bytes.readerIndex + 1)!
            if self.discardingLongLine {
                self.discardingLongLine = false
            } else {
                self.partialLine.writeBuffer(&rest)
                _ = self.partialLine.withUnsafeReadableBytes { self.handleLines(in: $0, receivedAt: receivedAt) }
            }
            self.partialLine.clear()
        }
        let used = bytes.withUnsafeReadableBytes { self.handleLines(in: $0, receivedAt: receivedAt) }
        bytes.moveReaderIndex(forwardBy: used)
        self.keepPartialLine(&bytes)
    }

    /// Handles every complete line in `bytes` and returns how many bytes they took. Newlines are found with
    /// `memchr`: a byte-by-byte loop made the bench the slowest reader over the web door, whose JSON lines are twice
    /// as long as plain ones.
    private func handleLines(in bytes: UnsafeRawBufferPointer, receivedAt: UInt64) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count,
            let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
        {
            let index = base.distance(to: UnsafeRawPointer(found))
            var end = index
            if self.results.receipts != nil {
                self.results.receipts!.inspect(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            }
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            self.handleLine(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), receivedAt: receivedAt)
            start = index + 1
        }
        return start
    }

    /// Keeps the start of a line that has not ended yet; a line longer than any message is dropped as garbled.
    private func keepPartialLine(_ bytes: inout ByteBuffer) {
        guard bytes.readableBytes > 0, !self.discardingLongLine else { return }
        if self.partialLine.readableBytes + bytes.readableBytes > Self.maximumLineLength {
            self.partialLine.clear()
            self.discardingLongLine = true
            self.results.garbled += 1
            return
        }
        self.partialLine.writeBuffer(&bytes)
    }

    private func handleLine(_ line: UnsafeRawBufferPointer, receivedAt: UInt64) {
        if self.dialect == .irc, line.starts(with: Self.ping) {
            // `PING :token` wants `PONG :token`, at any time, or the server drops us.
            let token = String(decoding: UnsafeRawBufferPointer(rebasing: line[Self.ping.count...]), as: UTF8.self)
            if let context = self.context { self.sendLine("PONG\(token)\r\n", context: context) }
            return
        }
        if !self.isJoined {
            self.handleLineBeforeJoining(String(decoding: line, as: UTF8.self))
            return
        }
        if self.results.receipts != nil {
            guard self.handleSoakLine(line) else { return }
        }
        var parsed = MessageToken.parse(
            line,
            expectedSize: self.messageSize,
            marker: self.marker,
            endingAt: self.tokenEnd
        )
        if parsed == .garbled, let size = self.alternateMessageSize {
            parsed = MessageToken.parse(line, expectedSize: size, marker: self.marker, endingAt: self.tokenEnd)
        }
        switch parsed {
        case .none:
            break
        case .garbled:
            self.results.garbled += 1
        case .token(let sender, let sequence, let sentAt):
            if sender == self.ownSenderIndex {
                self.results.echoed += 1
                return
            }
            if self.results.receipts != nil {
                self.results.receipts!.record(sender: sender, sequence: sequence)
                self.results.delivered += 1
                return
            }
            guard self.markSeen(sender: sender, sequence: sequence) else {
                self.results.duplicated += 1
                return
            }
            self.results.delivered += 1
            self.results.lastReceipt = receivedAt
            self.results.latenciesMicros.append(UInt32(clamping: (receivedAt &- sentAt) / 1000))
        }
    }

    /// A soak client's look at a joined line: wakes whoever waits for it and notes what it is. False when the
    /// line is no delivery at all (a `[History] ` replay, a notice) and token parsing can be skipped.
    private func handleSoakLine(_ line: UnsafeRawBufferPointer) -> Bool {
        if !self.waiters.isEmpty {
            var index = 0
            while index < self.waiters.count {
                if Self.find(self.waiters[index].needle, in: line) {
                    self.waiters.remove(at: index).promise.succeed()
                } else {
                    index += 1
                }
            }
        }
        self.results.receipts!.classify(line)
        if Self.find(self.forbiddenMarker, in: line) {
            self.results.receipts!.forbiddenLines += 1
        }
        if line.starts(with: Self.historyPrefix) {
            self.results.receipts!.historyLines += 1
            return false
        }
        return true
    }

    private static let historyPrefix = Array("[History] ".utf8)
    private static let ping = Array("PING".utf8)

    /// Registration and joining. slashchat and its web door: any line naming us after we sent the nickname is the
    /// welcome (our server's names us; so do most). IRC: `001` says we are registered, then `366` ends the names of the channel
    /// we joined.
    private func handleLineBeforeJoining(_ line: String) {
        switch self.dialect {
        case .slashchat, .web:
            guard line.contains(self.nickname) else { return }
        case .irc:
            let words = line.split(separator: " ", maxSplits: 2)
            guard words.count >= 2 else { return }
            if words[1] == "001", let context = self.context {
                self.sendLine("JOIN \(BenchDialect.ircChannel)\r\n", context: context)
                return
            }
            guard words[1] == "366" else { return }
        }
        self.isJoined = true
        self.joined.succeed()
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if zip(needle, haystack[start...]).allSatisfy({ $0 == $1 }) { return true }
        }
        return false
    }

    /// Completes when a line containing `needle` arrives (a soak client's wait for a reply), or fails after
    /// `timeout` or when the connection closes.
    func expect(_ needle: String, timeout: TimeAmount) -> EventLoopFuture<Void> {
        guard let context = self.context, context.channel.isActive else {
            return self.joined.futureResult.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        let id = self.nextWaiterID
        self.nextWaiterID += 1
        self.waiters.append((id, Array(needle.utf8), promise))
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let timer = context.eventLoop.scheduleTask(in: timeout) {
            // Still waiting (a line or the close would have removed it): give up on it.
            guard let index = handler.value.waiters.firstIndex(where: { $0.id == id }) else { return }
            handler.value.waiters.remove(at: index)
            promise.fail(BenchError.timedOut("waiting for \"\(needle)\""))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    /// Records (sender, sequence); false when it was already seen. Sequences outside the run count as new.
    private func markSeen(sender: Int, sequence: Int) -> Bool {
        guard sender >= 0, sender < 100_000, sequence >= 0, sequence < self.messagesPerSender else { return true }
        if sender >= self.seen.count {
            self.seen += Array(repeating: [], count: sender - self.seen.count + 1)
        }
        if self.seen[sender].isEmpty {
            self.seen[sender] = Array(repeating: 0, count: (self.messagesPerSender + 63) / 64)
        }
        let (word, bit) = (sequence / 64, UInt64(1) << UInt64(sequence % 64))
        if self.seen[sender][word] & bit != 0 { return false }
        self.seen[sender][word] |= bit
        return true
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, self.rate == 0 {
            self.sendAvailable()
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Starts sending `count` messages: as fast as back-pressure allows (`rate` 0) or at `rate` per second, the
    /// first one `offset` from now.
    func startSending(
        count: Int,
        senderIndex: Int,
        rate: Double,
        offset: TimeAmount = .zero,
        done: EventLoopPromise<Void>
    ) {
        self.toSend = count
        self.senderIndex = senderIndex
        self.ownSenderIndex = senderIndex
        self.rate = rate
        self.sendingDone = done
        self.sendStartedAt = (NIODeadline.now() + offset).uptimeNanoseconds
        guard let context = self.context else {
            done.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if rate > 0 {
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.nextSend = context.eventLoop.scheduleTask(in: offset) { handler.value.sendDue() }
        } else {
            self.sendAvailable()
        }
    }

    /// Back-pressure mode: write while the socket takes it, one flush per burst.
    private func sendAvailable() {
        guard let context = self.context, self.results.sent < self.toSend else { return }
        var written = 0
        while self.results.sent < self.toSend, context.channel.isWritable {
            self.writeOne(context)
            written += 1
            if written % 64 == 0 { context.flush() }
        }
        context.flush()
        self.finishIfDone()
    }

    /// Rate mode: send what the schedule says is due by now, then sleep until the next one is due. (A ticker
    /// every millisecond per sender cost the bench more than a core in wake-ups, and that CPU was taken from the
    /// server it measured.)
    private func sendDue() {
        guard let context = self.context else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        let elapsed = now > self.sendStartedAt ? Double(now - self.sendStartedAt) / 1e9 : 0
        let due = min(self.toSend, Int(elapsed * self.rate) + 1)
        while self.results.sent < due {
            self.writeOne(context)
        }
        context.flush()
        self.finishIfDone()
        guard self.results.sent < self.toSend else { return }
        // Message number `sent` (0-based) is due at sent / rate seconds after the start.
        let dueAt = self.sendStartedAt + UInt64(Double(self.results.sent) / self.rate * 1e9)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.nextSend = context.eventLoop.scheduleTask(deadline: NIODeadline.uptimeNanoseconds(dueAt)) {
            handler.value.sendDue()
        }
    }

    private func writeOne(_ context: ChannelHandlerContext) {
        let message = MessageToken.make(
            sender: self.senderIndex,
            sequence: self.results.sent,
            sentAt: NIODeadline.now().uptimeNanoseconds,
            size: self.messageSize,
            run: self.run,
            prefix: self.messagePrefix,
            lineEnd: self.lineEnd
        )
        context.write(Self.wrapOutboundOut(message), promise: nil)
        self.results.sent += 1
    }

    private func finishIfDone() {
        guard self.results.sent >= self.toSend, let done = self.sendingDone else { return }
        self.nextSend?.cancel()
        self.nextSend = nil
        self.sendingDone = nil
        done.succeed()
    }

    /// The results so far.
    func snapshot() -> Snapshot {
        self.results
    }

    /// Token lines received so far (delivered or garbled): cheap enough to poll, unlike a full snapshot.
    func arrivals() -> Int {
        self.results.delivered + self.results.garbled
    }
}

@available(*, unavailable)
extension BenchConnectionHandler: Sendable {}
