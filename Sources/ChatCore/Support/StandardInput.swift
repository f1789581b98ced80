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

    /// Raw bytes from stdin as they arrive (for the terminal client's key decoding). Finishes at EOF.
    public static func chunks(bufferLimit: Int = 256) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingOldest(bufferLimit))
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
