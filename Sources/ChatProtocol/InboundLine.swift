import NIOCore

/// One framed unit of client input, as produced by ``LineDecoder``.
public enum InboundLine: Sendable, Equatable {
    /// A complete line without its terminator (`\n` or `\r\n`), still raw bytes: decoding and
    /// sanitising happen later, in one place (``Sanitizer``).
    case line(ByteBuffer)
    /// The client sent more than ``LineDecoder/maximumLineLength`` bytes without a newline.
    /// The rest of that line is discarded up to its newline; the connection stays usable.
    case tooLong
}
