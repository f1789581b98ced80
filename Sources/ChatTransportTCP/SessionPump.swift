import ChatCore
import ChatProtocol
import NIOCore

/// The connection pump every door ends its pipeline with: it frames what arrives into lines (``InboundFraming``:
/// ``LineFramer`` for a byte stream, one line per message for WebSocket) and hands them to the connection's
/// ``ChatSession``, starting a task only while there are lines to handle, so an idle connection holds no task at all
/// (a suspended task kept ~7.6 KiB of stack slabs per client; see the README's memory profile). It also tells the
/// connection's ``Outbox`` when the socket can take more and when the peer has gone. One handler for the three,
/// rather than a `ByteToMessageHandler` and a writability handler in front of it, because every handler costs each
/// idle connection its context and state, and the framer keeps no buffer between lines. The door's rules (flood
/// control, line caps, idle and slow-reader limits) live in the session and the outbox, so every door that ends in
/// this pump keeps them.
///
/// Lines arrive on the event loop and queue here; one task at a time takes the whole queue and feeds it to the
/// session in order, then ends, telling the event loop without waiting for it, which starts the next task if more
/// lines came meanwhile (no task waits on the event loop, so a busy loop adds no latency to a line). Once
/// ``maximumQueuedLines`` wait (a flooder held by flood control, a slow command), reading stops, so the kernel's
/// buffers push back on the client and nothing is dropped. When the input ends (the peer closes or resets), the lines
/// already read are still handled, then the session is finished.
package final class SessionPump<Framing: InboundFraming>: ChannelInboundHandler {
    package typealias InboundIn = Framing.Input

    /// Lines waiting for the session at which the connection stops reading (a read can add several at once).
    package static var maximumQueuedLines: Int { 64 }

    private let session: OneTaskAtATimeSession
    private let outbox: Outbox
    private let openConnections: OpenConnections
    private var framer: Framing
    private var queued: [InboundLine] = []
    /// The session has been opened (its greeting sent): lines may be handed over.
    private var isOpen = false
    /// A task is feeding the session.
    private var isRunning = false
    /// The session said `.stop`, refused the connection, or has been finished: nothing more is handed over.
    private var isDone = false
    private var inputEnd: ChatSession.InputEnd?
    /// The input ended while the connection stays open for output (a half-close): the session's last answers are
    /// written before it is finished and the connection closed.
    private var answersBeforeClosing = false
    private var sawError = false
    private var isReadingPaused = false
    /// Kept past `handlerRemoved`: the pipeline is torn down when the channel closes, and the session is finished
    /// after that.
    private var channel: (any Channel)?

    package init(session: any LineSession, outbox: Outbox, framing: Framing, openConnections: OpenConnections) {
        self.session = OneTaskAtATimeSession(session)
        self.outbox = outbox
        self.framer = framing
        self.openConnections = openConnections
    }

    /// The session has been (or is being) opened; it is opened once, however the connection became active.
    private var isStarted = false

    package func handlerAdded(context: ChannelHandlerContext) {
        self.channel = context.channel
        // A door that adds the pump late (after TLS's handshake) may have missed a writability change.
        self.outbox.writabilityChanged(to: context.channel.isWritable)
        // Added to a connection that is already up (TLS adds it once the handshake is done): start now, since
        // no channelActive will come.
        if context.channel.isActive {
            self.start(context)
        }
    }

    package func channelActive(context: ChannelHandlerContext) {
        self.start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !self.isStarted else { return }
        self.isStarted = true
        self.openConnections.opened()
        self.isRunning = true
        let session = self.session
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let channel = context.channel
        Task {
            let admitted = await session.value.open()
            channel.eventLoop.execute {
                handler.value.sessionOpened(admitted: admitted)
            }
        }
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.isDone else { return }
        self.framer.append(self.unwrapInboundIn(data)) { line in
            self.queued.append(line)
        }
        if self.queued.count >= Self.maximumQueuedLines, !self.isReadingPaused {
            self.isReadingPaused = true
            context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
        }
        self.startIfIdle()
    }

    package func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.outbox.writabilityChanged(to: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a read error: the connection is lost (not closed by the client). NIO closes the channel.
        self.sawError = true
        context.close(promise: nil)
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // A door that lets the peer end its input and still read (SSH's EOF, with `allowRemoteHalfClosure`): the
        // lines it sent are handled and answered, then the session ends and the connection is closed.
        if let event = event as? ChannelEvent, event == .inputClosed, self.isStarted, self.inputEnd == nil {
            self.framer.finish { line in
                self.queued.append(line)
            }
            self.inputEnd = .closedByPeer
            self.answersBeforeClosing = true
            self.startIfIdle()
        }
        context.fireUserInboundEventTriggered(event)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        // NIO reads everything the peer sent up to its EOF before this, so a backlog may still be queued: the
        // session's task uses the outbox's mark to stop acting on it.
        self.outbox.markPeerGone()
        guard self.isStarted else {
            context.fireChannelInactive()
            return
        }
        if !self.isDone, self.inputEnd == nil {
            // A last line without its newline is still a line.
            self.framer.finish { line in
                self.queued.append(line)
            }
        }
        if self.inputEnd == nil {
            self.inputEnd = self.sawError ? .failed : .closedByPeer
        }
        self.startIfIdle()
        context.fireChannelInactive()
    }

    // MARK: Feeding the session

    private func sessionOpened(admitted: Bool) {
        self.isRunning = false
        guard admitted else {
            // Refused: it has been told why and closed; there is no session to finish.
            self.finished()
            return
        }
        self.isOpen = true
        self.startIfIdle()
    }

    /// Starts a session task for what waits (the queued lines, or the end of the input) when none is running.
    private func startIfIdle() {
        guard self.isOpen, !self.isRunning, !self.isDone, let channel = self.channel else { return }
        let work: SessionWork
        if !self.queued.isEmpty {
            work = .lines(self.queued)
            self.queued = []
            if self.isReadingPaused {
                self.isReadingPaused = false
                channel.setOption(.autoRead, value: true).whenFailure { _ in }
            }
        } else if let end = self.inputEnd {
            self.isDone = true
            work = .finish(end, flushing: self.answersBeforeClosing ? self.outbox : nil)
        } else {
            return
        }
        self.isRunning = true
        let session = self.session
        let handler = NIOLoopBound(self, eventLoop: channel.eventLoop)
        Task {
            let sessionEnded = await work.perform(on: session, channel: channel)
            // Not waited for: the task ends here, and the event loop starts the next one if more lines came.
            channel.eventLoop.execute { handler.value.workDone(sessionEnded: sessionEnded) }
        }
    }

    /// On the event loop, when a session task has ended.
    private func workDone(sessionEnded: Bool) {
        self.isRunning = false
        if sessionEnded {
            self.finished()
        } else {
            self.startIfIdle()
        }
    }

    private func finished() {
        self.isDone = true
        self.isRunning = false
        self.queued = []
        self.channel = nil
        self.openConnections.closed()
    }
}

@available(*, unavailable)
extension SessionPump: Sendable {}

/// What one session task does, decided on the pump's event loop. Outside the generic pump, so the task that runs it
/// captures nothing generic.
private enum SessionWork: Sendable {
    case lines([InboundLine])
    /// Ends the session; `flushing`, an outbox to write out and close first (the peer half-closed).
    case finish(ChatSession.InputEnd, flushing: Outbox?)

    /// Hands lines over one by one, or finishes the session. True once the session is over.
    func perform(on session: OneTaskAtATimeSession, channel: any Channel) async -> Bool {
        switch self {
        case .finish(let end, let outbox):
            await outbox?.flushAndClose()
            await session.value.finish(end)
            return true
        case .lines(let lines):
            for line in lines {
                guard await session.value.receive(line) == .stop else { continue }
                // Like closing the channel after the last line was handled, then ending the session.
                try? await channel.close()
                await session.value.finish(.stopped)
                return true
            }
            return false
        }
    }
}
