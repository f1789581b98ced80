import ChatCore
import ChatProtocol
import NIOCore
import Synchronization

/// A connection's output side: its wire format and a bounded outbound queue, safe to fill from any thread
/// without waiting.
///
/// Fan-out must never wait for one slow reader, so the hub hands bytes to each recipient's outbox and moves on.
/// The outbox writes what waits on the channel's event loop as one buffer: one write and one flush per batch,
/// however many messages it holds (a write per message walked the pipeline each time and was a quarter of the
/// server's CPU under load). The first bytes to arrive are kept as they are, shared with the other recipients;
/// only when more arrive before the drain are they copied into a buffer of the outbox's own. While the socket
/// is not writable, bytes wait here; once more than ``capacity`` bytes wait, the client is too slow to keep, and the
/// connection is closed (``overflowed`` tells why). Memory per client is therefore bounded by the channel's
/// write-buffer high-water mark plus ``capacity``.
public final class Outbox: ChatRecipient {
    /// The default backlog allowed before a client is dropped for not reading.
    public static let defaultCapacity = ServerConfiguration.defaultOutboxCapacity
    /// The first allocation for a batch; it grows by doubling when a burst needs more.
    private static let initialBatchCapacity = 1024

    private struct State {
        /// Bytes waiting for the socket; nil while there are none, so an idle client holds no buffer.
        var pending: ByteBuffer?
        /// `pending` is a buffer handed in by `send`, shared with others: appending to it needs a copy first.
        var pendingIsShared = false
        /// A drain is scheduled, or will run when the channel becomes writable again.
        var drainPending = false
        /// The channel's writability as its pump last saw it. Kept here, beside the bytes the drain takes under the
        /// same lock, because asking the channel meant a cold atomic per reader per drain: 4 % of the server's CPU
        /// at 500 readers.
        var isWritable = true
        var closed = false
        var overflowed = false
        var peerGone = false
        /// Waiting for `pending` to reach the socket (``written()``).
        var writeWaiters: [EventLoopPromise<Void>] = []
    }

    private enum Action {
        case none
        case scheduleDrain
        case close
        case refuse
    }

    private let channel: any Channel
    private let scheduler: DrainScheduler
    private let capacity: Int
    private let state = Mutex(State())
    private let formatCode = Atomic<UInt8>(0)

    /// Creates the outbox of `channel`, dropping the client once `capacity` bytes are waiting.
    public init(channel: any Channel, capacity: Int = Outbox.defaultCapacity) {
        self.channel = channel
        self.scheduler = DrainScheduler.shared(for: channel.eventLoop)
        self.capacity = capacity
    }

    /// The wire format this client asked for; plain until it sends `/mode json`.
    public var format: WireFormat {
        get { self.formatCode.load(ordering: .relaxed) == 0 ? .plain : .json }
        set { self.formatCode.store(newValue == .plain ? 0 : 1, ordering: .relaxed) }
    }

    /// True once the connection is being closed by us (goodbye, shutdown, overflow): nothing more will be sent.
    public var isClosed: Bool {
        self.state.withLock { $0.closed }
    }

    /// True once the channel is inactive: the peer closed or reset it (or we closed it). Lines it sent before that
    /// may still be waiting to be read, but nobody is there any more to act for.
    public var isPeerGone: Bool {
        self.state.withLock { $0.peerGone }
    }

    /// Called when the channel goes inactive.
    func markPeerGone() {
        self.state.withLock { $0.peerGone = true }
    }

    /// True when the client was dropped because it stopped reading.
    public var overflowed: Bool {
        self.state.withLock { $0.overflowed }
    }

    /// Queues `bytes` for the client. Never blocks; drops the client if its backlog passes the cap. False when
    /// nothing was queued (the connection is closing, or these bytes were one too many), so a caller with
    /// something it must not lose, a private message, can keep it another way.
    @discardableResult
    public func send(_ bytes: ByteBuffer) -> Bool {
        let action: Action = self.state.withLock { state in
            if state.closed { return .refuse }
            let waiting = state.pending?.readableBytes ?? 0
            if waiting + bytes.readableBytes > self.capacity {
                state.closed = true
                state.overflowed = true
                state.pending = nil
                Self.failWaiters(&state)
                ChatMetrics.slowReaderDropped()
                return .close
            }
            if state.pending == nil {
                state.pending = bytes
                state.pendingIsShared = true
            } else if state.pendingIsShared {
                var own = ByteBufferAllocator().buffer(
                    capacity: max(Self.initialBatchCapacity, waiting + bytes.readableBytes)
                )
                own.writeImmutableBuffer(state.pending!)
                own.writeImmutableBuffer(bytes)
                state.pending = own
                state.pendingIsShared = false
            } else {
                state.pending!.writeImmutableBuffer(bytes)
            }
            if state.drainPending { return .none }
            state.drainPending = true
            return .scheduleDrain
        }
        switch action {
        case .none:
            return true
        case .scheduleDrain:
            self.scheduler.schedule(self)
            return true
        case .close:
            self.channel.close(promise: nil)
            return false
        case .refuse:
            return false
        }
    }

    /// Writes everything queued, if the socket can take it. Runs on the channel's event loop, scheduled by
    /// ``send(_:)``, or called by ``writabilityChanged(to:)`` when the socket can take more.
    func drain() {
        let (batch, waiters) = self.state.withLock { state -> (ByteBuffer?, [EventLoopPromise<Void>]) in
            // Not writable: `drainPending` stays set, and ``writabilityChanged(to:)`` drains once the socket can take
            // more, so `send` need not schedule anything meanwhile.
            guard state.isWritable else { return (nil, []) }
            let taken = (state.pending, state.writeWaiters)
            state.pending = nil
            state.writeWaiters = []
            state.drainPending = false
            return taken
        }
        guard let batch else { return }
        self.channel.writeAndFlush(batch, promise: self.promise(completing: waiters))
    }

    /// Called by the pump on the event loop when the channel's writability changes; drains once it can take more.
    func writabilityChanged(to isWritable: Bool) {
        self.state.withLock { $0.isWritable = isWritable }
        if isWritable {
            self.drain()
        }
    }

    /// Waits until everything queued so far has been written to the socket; false when the connection closed
    /// first. What must not be marked done before its reader really has it (a stored private message) waits here,
    /// which also paces long replays to what the reader takes, so they never trip the slow-reader rule.
    public func written() async -> Bool {
        let promise = self.channel.eventLoop.makePromise(of: Void.self)
        enum Next { case fail, wait, writeEmpty }
        let next: Next = self.state.withLock { state in
            if state.closed { return .fail }
            if state.pending != nil {
                state.writeWaiters.append(promise)
                return .wait
            }
            return .writeEmpty
        }
        switch next {
        case .fail:
            promise.fail(ChannelError.outputClosed)
        case .wait:
            break
        case .writeEmpty:
            // Writes complete in order: this empty one completes once every earlier drain has reached the socket.
            let channel = self.channel
            channel.eventLoop.execute { channel.writeAndFlush(ByteBuffer(), promise: promise) }
        }
        do {
            try await promise.futureResult.get()
            return true
        } catch {
            return false
        }
    }

    /// A write promise that completes `waiters` with it; nil when nobody waits.
    private func promise(completing waiters: [EventLoopPromise<Void>]) -> EventLoopPromise<Void>? {
        guard !waiters.isEmpty else { return nil }
        let promise = self.channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { result in
            for waiter in waiters { waiter.completeWith(result) }
        }
        return promise
    }

    private static func failWaiters(_ state: inout State) {
        for waiter in state.writeWaiters { waiter.fail(ChannelError.outputClosed) }
        state.writeWaiters = []
    }

    /// Writes what is queued regardless of writability, waits (at most 2 s) until it reached the socket, and closes
    /// the connection. Used for goodbyes: `/quit`, shutdown, too many bad nicknames.
    public func flushAndClose() async {
        await self.flushAndClose(timeout: .seconds(2))
    }

    /// ``flushAndClose()`` with its own time limit.
    public func flushAndClose(timeout: TimeAmount) async {
        let (batch, waiters) = self.state.withLock { state in
            let taken = (state.closed ? nil : state.pending, state.writeWaiters)
            state.pending = nil
            state.writeWaiters = []
            state.closed = true
            return taken
        }
        let channel = self.channel
        let flushed: EventLoopFuture<Void> = channel.eventLoop.flatSubmit {
            let promise = channel.eventLoop.makePromise(of: Void.self)
            if let batch {
                channel.write(batch, promise: self.promise(completing: waiters))
            } else {
                for waiter in waiters { waiter.fail(ChannelError.outputClosed) }
            }
            // Writes complete in order, so this empty write completes once everything before it (including
            // earlier drains) has reached the socket.
            channel.writeAndFlush(ByteBuffer(), promise: promise)
            let timer = channel.eventLoop.scheduleTask(in: timeout) {
                promise.fail(ChannelError.outputClosed)
            }
            return promise.futureResult.always { _ in timer.cancel() }
        }
        try? await flushed.get()
        try? await channel.close()
    }

    /// Closes the channel once the drains queued before this have run, so what was sent first is written first.
    public func closeAfterQueued() {
        let channel = self.channel
        channel.eventLoop.execute { channel.close(promise: nil) }
    }

    /// Stops accepting bytes; used when the connection is already gone.
    public func markClosed() {
        self.state.withLock { state in
            state.closed = true
            state.pending = nil
            Self.failWaiters(&state)
        }
    }
}
