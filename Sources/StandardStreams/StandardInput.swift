import Foundation

/// Lines from the process's standard input, as an async sequence.
///
/// Reading a terminal or pipe blocks, and blocking has no place on an event loop or in the cooperative pool,
/// so one dedicated thread does the reading and hands lines over through a bounded stream.
public enum StandardInput {
    /// Starts the reader thread. The stream finishes at EOF. Holds at most `bufferLimit` unread lines: when they
    /// wait (the consumer is not ready, or the server pushes back), the thread stops reading, so stdin pushes back
    /// in turn and no line is ever dropped.
    public static func lines(bufferLimit: Int = 64) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        // Created empty and then signalled: libdispatch traps when a semaphore is freed below its initial value.
        let freeSlots = DispatchSemaphore(value: 0)
        for _ in 0..<max(1, bufferLimit) { freeSlots.signal() }
        let thread = Thread {
            while true {
                freeSlots.wait()
                guard let line = readLine(strippingNewline: true) else { break }
                continuation.yield(line)
            }
            continuation.finish()
        }
        thread.name = "stdin-reader"
        thread.start()
        let lines = LineIterator(stream.makeAsyncIterator())
        return AsyncStream {
            let line = await lines.next()
            if line != nil { freeSlots.signal() }
            return line
        }
    }

    /// Raw bytes from stdin as they arrive (for the terminal client's key decoding). Finishes at EOF.
    public static func chunks(bufferLimit: Int = 256) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: [UInt8].self,
            bufferingPolicy: .bufferingOldest(bufferLimit)
        )
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                continuation.yield(Array(buffer[0..<count]))
            }
            continuation.finish()
        }
        thread.name = "stdin-keys"
        thread.start()
        return stream
    }
}

/// The one consumer's view of the reader thread's stream, for `AsyncStream(unfolding:)`, which calls it one element
/// at a time and never concurrently.
private final class LineIterator: @unchecked Sendable {
    private var iterator: AsyncStream<String>.AsyncIterator

    init(_ iterator: AsyncStream<String>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async -> String? {
        await self.iterator.next()
    }
}
