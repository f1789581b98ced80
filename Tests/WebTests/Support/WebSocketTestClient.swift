import ChatProtocol
import ChatTesting
import NIOCore
import NIOPosix
import NIOSSL

/// A browser's side of the web door, as bytes: it sends the HTTP upgrade itself and reads and writes WebSocket frames
/// by RFC 6455's rules (its own frames masked, the server's never), so a test sees exactly what crossed the socket.
final class WebSocketTestClient: Sendable {
    struct Frame: Sendable, Equatable {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]

        var text: String { String(decoding: self.payload, as: UTF8.self) }
        /// A close frame's status code.
        var closeCode: Int? {
            self.opcode == 0x8 && self.payload.count >= 2 ? Int(self.payload[0]) << 8 | Int(self.payload[1]) : nil
        }
    }

    /// The server's answer to the upgrade: its status line and headers, and the client when it switched protocols.
    struct Upgrade: Sendable {
        var status: Int
        var head: String
        var client: WebSocketTestClient?
    }

    private let channel: any Channel
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let frames: TimedQueue<Frame>
    /// JSON lines from text frames not yet taken by ``nextEvent(timeout:)``.
    private let pendingLines = LockedValue<[String]>([])
    private let task: Task<Void, Never>

    private init(
        channel: any Channel,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        frames: TimedQueue<Frame>,
        task: Task<Void, Never>
    ) {
        self.channel = channel
        self.outbound = outbound
        self.frames = frames
        self.task = task
    }

    /// Connects to `port` and asks for a WebSocket on `path` with `origin` (none when nil).
    static func upgrade(
        port: Int,
        path: String = "/ws",
        origin: String?,
        host: String? = nil,
        tls: NIOSSLContext? = nil
    ) async throws -> Upgrade {
        let asyncChannel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: "localhost")
                        )
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let heads = TimedQueue<String>()
        let frames = TimedQueue<Frame>()
        let writers = TimedQueue<NIOAsyncChannelOutboundWriter<ByteBuffer>>()
        let task = Task {
            do {
                try await asyncChannel.executeThenClose { inbound, outbound in
                    writers.push(outbound)
                    var reader = ResponseReader()
                    for try await buffer in inbound {
                        reader.append(buffer)
                        if let head = reader.takeHead() { heads.push(head) }
                        while let frame = reader.takeFrame() { frames.push(frame) }
                    }
                }
            } catch {
                // A reset or our own close: the stream is over either way.
            }
            heads.finish()
            frames.finish()
        }
        guard case .element(let outbound) = await writers.next(timeout: TestTime.connect) else {
            task.cancel()
            throw ExpectationFailure("the connection to port \(port) never became usable")
        }
        var request = "GET \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nUpgrade: websocket\r\n"
        request += "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let origin { request += "Origin: \(origin)\r\n" }
        try await outbound.write(ByteBuffer(string: request + "\r\n"))
        guard case .element(let head) = await heads.next(timeout: TestTime.expected) else {
            task.cancel()
            throw ExpectationFailure("no answer to the upgrade request")
        }
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let client = WebSocketTestClient(channel: asyncChannel.channel, outbound: outbound, frames: frames, task: task)
        if status != 101 { await client.close() }
        return Upgrade(status: status, head: head, client: status == 101 ? client : nil)
    }

    /// A client that has upgraded with the page's own origin.
    static func connect(port: Int, tls: NIOSSLContext? = nil) async throws -> WebSocketTestClient {
        let scheme = tls == nil ? "http" : "https"
        let upgrade = try await Self.upgrade(port: port, origin: "\(scheme)://127.0.0.1:\(port)", tls: tls)
        guard let client = upgrade.client else {
            throw ExpectationFailure("the upgrade was refused: \(upgrade.head)")
        }
        return client
    }

    // MARK: Sending

    /// One text message: one input line.
    func send(_ line: String) async throws {
        try await self.sendFrame(opcode: 0x1, payload: Array(line.utf8))
    }

    /// A frame as a browser sends it: masked.
    func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true) async throws {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        switch payload.count {
        case ..<126: bytes.append(0x80 | UInt8(payload.count))
        case ..<65_536: bytes += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: bytes += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await self.outbound.write(ByteBuffer(bytes: bytes))
    }

    // MARK: Receiving

    /// The next frame from the server; nil once the connection has closed.
    func nextFrame(timeout: Duration = TestTime.expected) async throws -> Frame? {
        switch await self.frames.next(timeout: timeout) {
        case .element(let frame): return frame
        case .finished: return nil
        case .timedOut: throw ExpectationFailure("no frame within \(timeout)")
        }
    }

    /// The next structured event, from the text frames (each holds one or more JSON lines).
    func nextEvent(timeout: Duration = TestTime.expected) async throws -> ChatEvent {
        while true {
            if let line = self.pendingLines.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                return try WireFormat.decodeJSON(line)
            }
            guard let frame = try await self.nextFrame(timeout: timeout) else {
                throw ExpectationFailure("the connection closed while an event was expected")
            }
            guard frame.opcode == 0x1 else {
                throw ExpectationFailure("a frame with opcode \(frame.opcode) where a text frame was expected")
            }
            let text = frame.text
            guard text.hasSuffix("\n") else { throw ExpectationFailure("a text frame not ending a line: \(text)") }
            self.pendingLines.withLock { $0 += text.split(separator: "\n").map(String.init) }
        }
    }

    /// Skips events until one matches.
    @discardableResult
    func expectEvent(
        maxSkipped: Int = 50,
        timeout: Duration = TestTime.expected,
        _ matches: (ChatEvent) -> Bool
    ) async throws -> ChatEvent {
        for _ in 0...maxSkipped {
            let event = try await self.nextEvent(timeout: timeout)
            if matches(event) { return event }
        }
        throw ExpectationFailure("no matching event within \(maxSkipped) events")
    }

    /// Answers the nickname question and waits for the welcome.
    func join(as nickname: String) async throws {
        try await self.expectEvent { $0.kind == .prompt && $0.field == "nickname" }
        try await self.send(nickname)
        try await self.expectEvent { $0.kind == .welcome }
    }

    func close() async {
        try? await self.channel.close()
        await self.task.value
    }
}

/// Splits the server's bytes into the HTTP response head and then WebSocket frames.
private struct ResponseReader {
    private var buffer: [UInt8] = []
    private var headDone = false

    mutating func append(_ bytes: ByteBuffer) {
        self.buffer += bytes.readableBytesView
    }

    mutating func takeHead() -> String? {
        guard !self.headDone else { return nil }
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard self.buffer.count >= 4,
            let end = (0...(self.buffer.count - 4)).first(where: { Array(self.buffer[$0..<$0 + 4]) == terminator })
        else { return nil }
        self.headDone = true
        let head = String(decoding: self.buffer[..<end], as: UTF8.self)
        self.buffer.removeFirst(end + 4)
        return head
    }

    /// The next whole frame (servers do not mask), once the head has been read.
    mutating func takeFrame() -> WebSocketTestClient.Frame? {
        guard self.headDone, self.buffer.count >= 2 else { return nil }
        var length = Int(self.buffer[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard self.buffer.count >= 4 else { return nil }
            length = Int(self.buffer[2]) << 8 | Int(self.buffer[3])
            offset = 4
        } else if length == 127 {
            guard self.buffer.count >= 10 else { return nil }
            length = self.buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard self.buffer.count >= offset + length else { return nil }
        let frame = WebSocketTestClient.Frame(
            fin: self.buffer[0] & 0x80 != 0,
            opcode: self.buffer[0] & 0x0F,
            payload: Array(self.buffer[offset..<offset + length])
        )
        self.buffer.removeFirst(offset + length)
        return frame
    }
}
