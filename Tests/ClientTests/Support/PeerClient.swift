import ChatTesting
import NIOCore
import NIOPosix

/// Another user, connected over TCP the way `nc` is: lines out, everything received kept as one transcript.
final class PeerClient: Sendable {
    private let channel: any Channel
    private let transcript: Transcript

    private init(channel: any Channel, transcript: Transcript) {
        self.channel = channel
        self.transcript = transcript
    }

    /// Connects to 127.0.0.1:`port` and joins as `nickname`, waiting for the welcome.
    static func join(port: Int, as nickname: String) async throws -> PeerClient {
        let transcript = Transcript()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(TestTime.connect))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TranscriptHandler(transcript: transcript))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        let client = PeerClient(channel: channel, transcript: transcript)
        try await client.send(nickname)
        try await client.waitForText("Welcome to slashchat, \(nickname)!")
        return client
    }

    /// Everything received so far.
    var text: String {
        self.transcript.text
    }

    /// Sends `line` and a newline.
    func send(_ line: String) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(string: line + "\n"))
    }

    /// Waits (at most `timeout`) until the transcript contains `text`.
    func waitForText(_ text: String, timeout: Duration = TestTime.expected) async throws {
        guard await Deadline.poll(within: timeout, { self.transcript.text.contains(text) }) else {
            throw ExpectationFailure("the peer never received \"\(text)\" within \(timeout); got:\n\(self.text)")
        }
    }

    func close() async {
        try? await self.channel.close()
    }
}
