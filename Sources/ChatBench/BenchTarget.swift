import NIOCore
import NIOSSL

/// The server a benchmark runs against, and how the bench reaches it: the same for every benchmark.
///
/// A cluster is one server with several doors: ``port`` and each of ``alsoPorts`` is a node of it, and the clients
/// are spread over them in turn (``port(forClient:)``).
public struct BenchTarget: Sendable {
    public var host: String
    public var port: Int
    /// The other nodes of a cluster, on the same host: client `i` connects to ``ports``[`i` % ``ports``.count].
    public var alsoPorts: [Int]
    /// The server's process id, for its memory and CPU from /proc.
    public var serverPID: Int?
    /// The other nodes' process ids: their CPU and memory are added to the server's.
    public var alsoServerPIDs: [Int]
    /// Event loops for the bench's own clients.
    public var threads: Int
    /// The protocol the server speaks.
    public var dialect: BenchDialect
    /// Connect over TLS (a `--tls-port`); the certificate is not checked: the bench measures the server on this
    /// machine, whose certificate is its own generated one.
    public var tls: Bool

    public init(
        host: String = "127.0.0.1",
        port: Int,
        alsoPorts: [Int] = [],
        serverPID: Int? = nil,
        alsoServerPIDs: [Int] = [],
        threads: Int = System.coreCount,
        dialect: BenchDialect = .slashchat,
        tls: Bool = false
    ) {
        self.host = host
        self.port = port
        self.alsoPorts = alsoPorts
        self.serverPID = serverPID
        self.alsoServerPIDs = alsoServerPIDs
        self.threads = threads
        self.dialect = dialect
        self.tls = tls
    }

    /// The client side of TLS for every connection of a run (nil without ``tls``): made once, since a context is
    /// costly and the connections share it.
    func makeTLSContext() throws -> NIOSSLContext? {
        guard self.tls else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try NIOSSLContext(configuration: configuration)
    }

    /// Every port clients connect to: ``port`` first, then ``alsoPorts``.
    public var ports: [Int] { [self.port] + self.alsoPorts }

    /// Every process whose CPU and memory the reports count: ``serverPID`` first, then ``alsoServerPIDs``.
    public var serverPIDs: [Int] { (self.serverPID.map { [$0] } ?? []) + self.alsoServerPIDs }

    /// The port client number `index` (from 0) connects to: round-robin over ``ports``, so the first clients (a
    /// fan-out's senders) are spread over the nodes as evenly as the rest.
    public func port(forClient index: Int) -> Int {
        let ports = self.ports
        return ports[index % ports.count]
    }

    /// How many of `clients` clients connect to each of ``ports``, in that order.
    public func clientsPerPort(_ clients: Int) -> [Int] {
        let ports = self.ports.count
        return (0..<ports).map { clients / ports + ($0 < clients % ports ? 1 : 0) }
    }

    /// The server's memory and CPU now: those of every process in ``serverPIDs`` added up; nil without a process id
    /// or when one of them cannot be read (so a total never silently leaves a node out).
    func serverStats() -> ProcessStats? {
        let pids = self.serverPIDs
        guard !pids.isEmpty else { return nil }
        var each: [ProcessStats] = []
        for pid in pids {
            guard let stats = ProcessStats.read(pid: String(pid)) else { return nil }
            each.append(stats)
        }
        return ProcessStats.total(each)
    }
}
