import ChatTesting
import NIOCore

/// The bytes a ``PeerClient`` received, shared between its channel handler and the test.
final class Transcript: Sendable {
    private let bytes = LockedValue<[UInt8]>([])

    func append(_ received: ByteBuffer) {
        self.bytes.withLock { $0.append(contentsOf: received.readableBytesView) }
    }

    var text: String {
        String(decoding: self.bytes.value, as: UTF8.self)
    }
}

/// Copies everything read into a ``Transcript``.
final class TranscriptHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let transcript: Transcript

    init(transcript: Transcript) {
        self.transcript = transcript
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.transcript.append(Self.unwrapInboundIn(data))
    }
}

@available(*, unavailable)
extension TranscriptHandler: Sendable {}
