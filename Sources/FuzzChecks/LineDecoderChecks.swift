import ChatCore
import ChatProtocol
import NIOCore
import NIOEmbedded

/// `LineDecoder` behind a real `ByteToMessageHandler` (as the client reads), and inside ``LineFramer`` (as the
/// server's connections read), fed one byte stream cut in several ways.
///
/// Input: byte 0 picks the line cap (values below 0xC0 give a cap of 0-23 bytes, so short inputs reach the cap;
/// 0xC0 and above give the production cap of 4096); the rest is the stream, closed by end of input.
///
/// Properties, for every cutting of the stream:
/// - the decoder yields exactly what a one-shot reference model yields: the stream split at `\n`, one trailing
///   `\r` removed per line, a final unterminated piece kept when non-empty, and each piece longer than the cap
///   replaced by one `.tooLong` (so the rest of an over-long line is discarded, and the next line is read normally);
/// - so no line is ever longer than the cap or contains `\n`, and `.tooLong` comes exactly for over-long lines.
enum LineDecoderChecks {
    enum Decoded: Equatable, CustomStringConvertible {
        case line([UInt8])
        case tooLong

        var description: String {
            switch self {
            case .line(let bytes) where bytes.count > 32: "line(<\(bytes.count) bytes>)"
            case .line(let bytes): "line(\(bytes))"
            case .tooLong: "tooLong"
            }
        }
    }

    static func check(_ input: [UInt8]) throws {
        guard let selector = input.first else { return }
        let cap = selector >= 0xC0 ? LineDecoder.maximumLineLength : Int(selector % 24)
        let stream = input[1...]
        let expected = Self.model(stream, cap: cap)
        for chunks in Chunking.variants(of: stream) {
            let framed = Self.frame(chunks, cap: cap)
            try PropertyViolation.require(
                framed == expected,
                "LineFramer, cap \(cap), pieces \(chunks.map(\.count)): framed \(framed), expected \(expected)"
            )
            let decoded = try Self.decode(chunks, cap: cap)
            for line in decoded {
                if case .line(let bytes) = line {
                    try PropertyViolation.require(
                        bytes.count <= cap,
                        "a \(bytes.count)-byte line passed a cap of \(cap)"
                    )
                    try PropertyViolation.require(!bytes.contains(0x0A), "a line contains a newline")
                }
            }
            try PropertyViolation.require(
                decoded == expected,
                "cap \(cap), pieces \(chunks.map(\.count)): decoded \(decoded), expected \(expected)"
            )
        }
    }

    /// The contract, computed on the whole stream at once.
    static func model(_ stream: ArraySlice<UInt8>, cap: Int) -> [Decoded] {
        var pieces = stream.split(separator: 0x0A, omittingEmptySubsequences: false)
        if pieces.last?.isEmpty == true {
            pieces.removeLast()  // the stream ended with a newline (or was empty): no final partial line
        }
        return pieces.map { piece in
            var line = piece
            if line.last == 0x0D {
                line = line.dropLast()
            }
            return line.count > cap ? .tooLong : .line(Array(line))
        }
    }

    /// What ``LineFramer`` yields when the stream arrives as `chunks` and then ends.
    static func frame(_ chunks: [ArraySlice<UInt8>], cap: Int) -> [Decoded] {
        var framer = LineFramer(maximumLineLength: cap)
        var framed: [Decoded] = []
        let collect = { (line: InboundLine) in
            switch line {
            case .line(let buffer): framed.append(.line(Array(buffer.readableBytesView)))
            case .tooLong: framed.append(.tooLong)
            }
        }
        for chunk in chunks {
            framer.append(ByteBuffer(bytes: chunk), collect)
        }
        framer.finish(collect)
        return framed
    }

    /// What the decoder yields when the stream arrives as `chunks` and the connection then closes.
    static func decode(_ chunks: [ArraySlice<UInt8>], cap: Int) throws -> [Decoded] {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder(maximumLineLength: cap)))
        var decoded: [Decoded] = []
        func drain() throws {
            while let inbound = try channel.readInbound(as: InboundLine.self) {
                switch inbound {
                case .line(let buffer): decoded.append(.line(Array(buffer.readableBytesView)))
                case .tooLong: decoded.append(.tooLong)
                }
            }
        }
        for chunk in chunks {
            try channel.writeInbound(ByteBuffer(bytes: chunk))
            try drain()
        }
        // End of input the way a half-closed TCP connection signals it: the final unterminated line comes out.
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        try drain()
        _ = try channel.finish(acceptAlreadyClosed: true)
        return decoded
    }
}
