import NIOCore

/// The server a benchmark runs against, and how the bench reaches it: the same for every benchmark.
public struct BenchTarget: Sendable {
    public var host: String
    public var port: Int
    /// The server's process id, for its memory and CPU from /proc.
    public var serverPID: Int?
    /// Event loops for the bench's own clients.
    public var threads: Int
    /// The protocol the server speaks.
    public var dialect: BenchDialect

    public init(
        host: String = "127.0.0.1",
        port: Int,
        serverPID: Int? = nil,
        threads: Int = System.coreCount,
        dialect: BenchDialect = .slashchat
    ) {
        self.host = host
        self.port = port
        self.serverPID = serverPID
        self.threads = threads
        self.dialect = dialect
    }
}
