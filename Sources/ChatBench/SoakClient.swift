import NIOCore

/// One scripted soak connection: a ``BenchConnection`` that keeps receipts, plus what it sent and where.
///
/// Lines from one client are handled by the server in the order they were sent (commands wait for the client's
/// own messages), so the room a message lands in is the room of the last `/join` sent before it: the ledger
/// needs no answer from the server to know where each message went.
struct SoakClient {
    let connection: BenchConnection
    let nickname: String
    /// The sender number in this client's tokens.
    let senderIndex: Int
    let run: String
    let messageSize: Int
    /// The room key (lowercased, with `#`) its next message goes to.
    private(set) var room = "#main"
    private(set) var sent: [SentMessage] = []
    /// How many of ``sent`` the server has certainly read (an answer to a later command came back).
    private(set) var confirmed = 0
    private var nextSequence = 0

    /// Hostile bytes a message may start with: escape sequences (7- and 8-bit, each one complete, so the text
    /// after it survives), other control characters, invalid UTF-8. The server must strip or replace every one.
    static let hostilePrefixes: [[UInt8]] = [
        Array("\u{1B}[31;1mred\u{1B}[0m ".utf8),
        Array("\u{1B}]0;pwned\u{07}title ".utf8),
        Array("\u{1B}P1;2|secret\u{1B}\\dcs ".utf8),
        [0xC2, 0x9B] + Array("2Jc1 ".utf8),
        [0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x20],
        Array("nul\u{00}bel\u{07}del\u{7F}cr\rtab\t ".utf8),
        Array("\u{1B}c\u{1B}[2J\u{1B}[H\u{1B}7\u{1B}8 ".utf8),
        [0xE2, 0x80, 0xAE] + Array("rtl \u{1B}".utf8) + [0xC2, 0x85, 0x20],
    ]

    /// Connects and waits for the welcome (at most `timeout`).
    static func connect(
        nickname: String,
        senderIndex: Int,
        run: String,
        messageSize: Int,
        bulkMessageSize: Int,
        target: BenchTarget,
        group: any EventLoopGroup,
        receiveBufferSize: Int? = nil,
        timeout: Duration
    ) async throws -> SoakClient {
        let connection = try await BenchConnection.connect(
            host: target.host,
            port: target.port,
            nickname: nickname,
            messageSize: messageSize,
            messagesPerSender: 0,
            run: run,
            group: group,
            keepsReceipts: true,
            alternateMessageSize: bulkMessageSize,
            receiveBufferSize: receiveBufferSize
        )
        try await Self.within(timeout, "joining as \(nickname)") { try await connection.joined.get() }
        return SoakClient(
            connection: connection,
            nickname: nickname,
            senderIndex: senderIndex,
            run: run,
            messageSize: messageSize
        )
    }

    /// The next token, `size` bytes, with its `\n`.
    private mutating func token(size: Int) -> ByteBuffer {
        let sequence = self.nextSequence
        self.nextSequence += 1
        return MessageToken.make(
            sender: self.senderIndex,
            sequence: sequence,
            sentAt: NIODeadline.now().uptimeNanoseconds,
            size: size,
            run: self.run
        )
    }

    /// The line for a room message of `size` bytes, recorded in the ledger: the token, after `hostile` bytes if
    /// given.
    mutating func messageLine(size: Int? = nil, hostile: [UInt8]? = nil) -> ByteBuffer {
        var line = ByteBuffer(bytes: hostile ?? [])
        var token = self.token(size: size ?? self.messageSize)
        line.writeBuffer(&token)
        self.sent.append(
            SentMessage(sender: self.senderIndex, sequence: self.nextSequence - 1, destination: .room(self.room))
        )
        return line
    }

    /// Sends a room message.
    mutating func say(size: Int? = nil, hostile: [UInt8]? = nil) async throws {
        try await self.connection.send(self.messageLine(size: size, hostile: hostile))
    }

    /// Sends a private message carrying a token to `reader`.
    mutating func privateMessage(to reader: String) async throws {
        var line = ByteBuffer(string: "/msg \(reader) ")
        var token = self.token(size: self.messageSize)
        line.writeBuffer(&token)
        self.sent.append(
            SentMessage(
                sender: self.senderIndex,
                sequence: self.nextSequence - 1,
                destination: .reader(reader.lowercased())
            )
        )
        try await self.connection.send(line)
    }

    /// Moves to `room` (a key: lowercased, with `#`).
    mutating func join(_ room: String) async throws {
        try await self.connection.send(line: "/join \(room)")
        self.room = room
    }

    /// Asks the server where this client is and waits for the answer: once it comes, the server has handled
    /// every earlier line, so every message sent so far is owed.
    mutating func confirm(timeout: Duration) async throws {
        let count = self.sent.count
        try await self.connection.request(
            "/whois \(self.nickname)",
            reply: "\(self.nickname) is in \(self.room)",
            timeout: timeout
        )
        self.confirmed = count
    }

    /// `/quit`, waiting for the goodbye: every message is owed.
    mutating func quit(timeout: Duration) async throws {
        let count = self.sent.count
        try await self.connection.request("/quit soak over", reply: "Goodbye!", timeout: timeout)
        self.confirmed = count
        try? await self.connection.channel.close()
    }

    /// Ends with a clean close (FIN) after the last line: the server must still handle every line before it, so
    /// every message is owed.
    mutating func closeCleanly(timeout: Duration) async {
        await self.connection.finishSending(timeout: timeout)
        self.confirmed = self.sent.count
    }

    /// Ends with a TCP reset: lines after the last confirmation may or may not have been read, so they are not owed.
    mutating func resetAbruptly() async {
        await self.connection.reset()
        for index in self.confirmed..<self.sent.count { self.sent[index].owed = false }
    }

    /// What this client received so far.
    func receipts() async throws -> ReceiptLog {
        try await self.connection.snapshot().receipts ?? ReceiptLog()
    }

    /// Runs `body`, failing with a time-out after `timeout`.
    static func within(
        _ timeout: Duration,
        _ what: String,
        _ body: @escaping @Sendable () async throws -> Void
    )
        async throws
    {
        try await withThrowingTaskGroup(of: Void.self) { race in
            race.addTask { try await body() }
            race.addTask {
                try await Task.sleep(for: timeout)
                throw BenchError.timedOut(what)
            }
            try await race.next()
            race.cancelAll()
        }
    }
}
