import ChatCore
import ChatProtocol
import NIOCore
import Synchronization

/// A ``ChatRecipient`` that keeps what it is sent in memory, for testing the hub and the session dialogue
/// without a socket.
///
/// Bytes count as unread until a test takes them (``takeLines()``); past `capacity` unread bytes it overflows and
/// closes, the way the TCP outbox drops a client that stops reading.
public final class MemoryRecipient: ChatRecipient {
    private struct State {
        var format = WireFormat.plain
        var unread = ByteBuffer()
        var closed = false
        var peerGone = false
        var overflowed = false
        var sends = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameter capacity: unread bytes held before the recipient overflows (like `--outbox` capacity).
    public init(capacity: Int = 1 << 20) {
        self.capacity = capacity
    }

    public var format: WireFormat {
        get { self.state.withLock { $0.format } }
        set { self.state.withLock { $0.format = newValue } }
    }

    @discardableResult
    public func send(_ bytes: ByteBuffer) -> Bool {
        self.state.withLock { state in
            guard !state.closed else { return false }
            if state.unread.readableBytes + bytes.readableBytes > self.capacity {
                state.closed = true
                state.overflowed = true
                return false
            }
            state.unread.writeImmutableBuffer(bytes)
            state.sends += 1
            return true
        }
    }

    public var isClosed: Bool { self.state.withLock { $0.closed } }
    public var isPeerGone: Bool { self.state.withLock { $0.peerGone } }
    public var overflowed: Bool { self.state.withLock { $0.overflowed } }

    /// How many times anything was sent: fan-out sends a whole batch at once.
    public var sendCount: Int { self.state.withLock { $0.sends } }

    public func written() async -> Bool { !self.isClosed }
    public func flushAndClose() async { self.state.withLock { $0.closed = true } }
    public func closeAfterQueued() { self.state.withLock { $0.closed = true } }
    public func markClosed() { self.state.withLock { $0.closed = true } }

    /// The peer hangs up: from now on the recipient is gone.
    public func hangUp() {
        self.state.withLock { $0.peerGone = true }
    }

    /// Reads every complete line sent so far (without their newlines).
    public func takeLines() -> [String] {
        self.state.withLock { state in
            var lines: [String] = []
            while let newline = state.unread.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - state.unread.readerIndex
                lines.append(state.unread.readString(length: length) ?? "")
                state.unread.moveReaderIndex(forwardBy: 1)
            }
            state.unread.discardReadBytes()
            return lines
        }
    }

    /// Reads lines until one satisfies `match`, waiting up to `timeout` for more (join notices wait for their
    /// 10 ms window); every line read on the way is returned, the matching one last. Throws when none comes.
    @discardableResult
    public func lines(
        until match: (String) -> Bool,
        within timeout: Duration = TestTime.expected
    ) async throws -> [String] {
        var seen: [String] = []
        let deadline = ContinuousClock.now + timeout
        while true {
            for line in self.takeLines() {
                seen.append(line)
                if match(line) { return seen }
            }
            guard ContinuousClock.now < deadline else {
                throw ExpectationFailure("no matching line within \(timeout); got \(seen)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Reads lines until `text` is one of them.
    @discardableResult
    public func lines(untilLine text: String, within timeout: Duration = TestTime.expected) async throws -> [String] {
        try await self.lines(until: { $0 == text }, within: timeout)
    }

    /// Waits `quiet` and returns every line that arrived, for checking that something did not.
    public func linesAfterWaiting(_ quiet: Duration = .milliseconds(50)) async throws -> [String] {
        try await Task.sleep(for: quiet)
        return self.takeLines()
    }
}
