import Foundation

/// Lines from the process's standard input, as an async sequence.
///
/// Reading a terminal or pipe blocks, and blocking has no place on an event loop or in the cooperative pool,
/// so one dedicated thread does the reading and hands lines over through a bounded stream.
public enum StandardInput {
    /// Starts the reader thread. The stream finishes at EOF. Holds at most `bufferLimit` unread lines.
    public static func lines(bufferLimit: Int = 64) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(bufferLimit))
        let thread = Thread {
            while let line = readLine(strippingNewline: true) {
                continuation.yield(line)
            }
            continuation.finish()
        }
        thread.name = "stdin-reader"
        thread.start()
        return stream
    }
}
