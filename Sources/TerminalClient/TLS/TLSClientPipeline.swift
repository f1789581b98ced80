import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// The TLS end of the client's pipeline: NIOSSL's client handler, verifying with ``TLSTrust`` (not only the CA
/// roots NIOSSL would use alone), and a watcher that says when the handshake is done or why it failed.
enum TLSClientPipeline {
    /// How long a handshake may take before the client gives up.
    static let handshakeTimeout = TimeAmount.seconds(15)

    /// Adds the TLS handlers at the front of a fresh channel's pipeline, on its event loop.
    /// - Returns: the handshake's outcome, and the trust verdict once the certificate has been judged.
    static func add(to channel: any Channel, trust: TLSTrust) throws -> Handshake {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        // TLSTrust decides alone: it checks the name itself on the CA path, and a pinned or remembered certificate
        // is trusted by its fingerprint, whatever names it lists (a self-signed one reached by an address it does
        // not name, say). NIOSSL's own name check after the callback would refuse exactly those.
        configuration.certificateVerification = .noHostnameVerification
        let context = try NIOSSLContext(configuration: configuration)
        let verdict = VerdictBox()
        let handler = try NIOSSLClientHandler(
            context: context,
            serverHostname: IPLiteral.isAddress(trust.host) ? nil : trust.host
        ) { chain, promise in
            promise.completeWithTask {
                let judged = await trust.evaluate(chain)
                verdict.record(judged)
                return TLSTrust.accepts(judged) ? .certificateVerified : .failed
            }
        }
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(handler)
        let done = channel.eventLoop.makePromise(of: Void.self)
        do {
            try operations.addHandler(HandshakeWatcher(done: done, timeout: Self.handshakeTimeout))
        } catch {
            done.fail(error)
            throw error
        }
        return Handshake(done: done.futureResult, verdict: verdict, trust: trust)
    }

    /// Connects, shakes hands, and hangs up: only to learn what ``TLSTrust`` makes of the server's certificate
    /// before a terminal session starts, so an unknown one can be put to the person while the terminal is still
    /// in its normal mode.
    /// - Throws: a ``ConnectionFailure``; ``ConnectionFailure/Reason/untrusted(_:_:)`` when only trust was missing.
    static func probe(host: String, port: Int, trust: TLSTrust) async throws {
        let (channel, handshake): (any Channel, Handshake)
        do {
            (channel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        (channel, try Self.add(to: channel, trust: trust))
                    }
                }
        } catch {
            throw ConnectionFailure(error)
        }
        defer { channel.close(promise: nil) }
        try await handshake.outcome()
    }

    /// One connection's handshake.
    struct Handshake: Sendable {
        let done: EventLoopFuture<Void>
        let verdict: VerdictBox
        let trust: TLSTrust

        /// Waits for the handshake; throws a ``ConnectionFailure`` that says why it failed, in the trust's words
        /// when the certificate was the reason.
        func outcome() async throws {
            do {
                try await self.done.get()
            } catch {
                if let verdict = self.verdict.value, !TLSTrust.accepts(verdict) {
                    throw ConnectionFailure(reason: .untrusted(verdict, self.trust.explanation(of: verdict)))
                }
                throw ConnectionFailure(reason: .tlsHandshakeFailed(ConnectionFailure.tlsSummary(error)))
            }
            if let verdict = self.verdict.value {
                self.trust.handshakeSucceeded(with: verdict)
            }
        }
    }

    /// The verdict the verification callback reached, read after the handshake.
    final class VerdictBox: Sendable {
        private let verdict = Mutex<TLSTrust.Verdict?>(nil)

        var value: TLSTrust.Verdict? { self.verdict.withLock { $0 } }

        func record(_ verdict: TLSTrust.Verdict) {
            self.verdict.withLock { $0 = verdict }
        }
    }
}

/// Completes a promise when the TLS handshake finishes, or fails it with the reason it did not (an error, the
/// connection closing, or no answer within the timeout, which also closes the connection).
private final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let done: EventLoopPromise<Void>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var isComplete = false

    init(done: EventLoopPromise<Void>, timeout: TimeAmount) {
        self.done = done
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let channel = context.channel
        let timeout = self.timeout
        self.timer = context.eventLoop.scheduleTask(in: timeout) {
            handler.value.complete(.failure(ChannelError.connectTimeout(timeout)))
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A connection that never came up (nothing listens there) is closed without ever being active: the
        // handshake did not happen, and the promise must say so rather than leak. After a handshake, a no-op.
        self.complete(.failure(ChannelError.ioOnClosedChannel))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            self.complete(.success(()))
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.complete(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.complete(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    private func complete(_ result: Result<Void, any Error>) {
        guard !self.isComplete else { return }
        self.isComplete = true
        self.timer?.cancel()
        self.done.completeWith(result)
    }
}

@available(*, unavailable)
extension HandshakeWatcher: Sendable {}
