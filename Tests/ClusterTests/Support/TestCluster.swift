import ChatTesting
import Foundation
import Testing

/// Real `server` nodes (the built binary, as users run it) on one fresh PostgreSQL database, each with its own data
/// directory and an admin console the test can type into; all of them killed when the test ends.
final class TestCluster {
    /// A short node timeout, so a killed node's users are gone within seconds, not the default ten.
    static let nodeTimeoutSeconds = 3
    /// How long a test waits for what crosses nodes (a notification, a heartbeat sweep) before it fails: far more
    /// than it takes, for a busy two-core machine.
    static let patience = TestTime.scaled(.seconds(30))

    let databaseURL: String
    private(set) var nodes: [ServerProcess] = []
    private var directories: [URL] = []
    private var clients: [LineClient] = []

    private init(databaseURL: String) {
        self.databaseURL = databaseURL
    }

    /// Nodes `names` on a fresh database of `postgres` (by default the test process's shared cluster), for `body`.
    static func with(
        nodes names: [String] = ["node-a", "node-b"],
        postgres: TestPostgres? = nil,
        arguments: [String] = [],
        _ body: (TestCluster) async throws -> Void
    ) async throws {
        try await HeavyWork.inTurn { try await Self.run(nodes: names, postgres: postgres, arguments: arguments, body) }
    }

    private static func run(
        nodes names: [String],
        postgres: TestPostgres?,
        arguments: [String],
        _ body: (TestCluster) async throws -> Void
    ) async throws {
        var server = postgres
        if server == nil { server = try await TestPostgres.shared() }
        guard let server else { return }
        let cluster = TestCluster(databaseURL: server.url(database: try await server.createDatabase()))
        do {
            for name in names {
                try await cluster.startNode(named: name, arguments: arguments)
            }
            try await body(cluster)
            await cluster.stop()
        } catch {
            // What the nodes said is what explains a failure across processes.
            for (index, node) in cluster.nodes.enumerated() {
                Issue.record("node \(index) stderr: \(node.standardError.suffix(20000))")
            }
            await cluster.stop()
            throw error
        }
    }

    /// Starts another node (or a node again, after ``kill(_:)``) on the cluster's database.
    @discardableResult
    func startNode(named name: String, arguments: [String] = []) async throws -> ServerProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directories.append(directory)
        let node = try await ServerProcess.start(
            dataDirectory: directory.path,
            arguments: [
                "--postgres", self.databaseURL, "--node-name", name,
                "--node-timeout", "\(Self.nodeTimeoutSeconds)", "--flood-rate", "0",
            ] + arguments,
            console: true
        )
        self.nodes.append(node)
        return node
    }

    subscript(index: Int) -> ServerProcess { self.nodes[index] }

    /// A connection to node `index`, not yet joined.
    func connect(_ name: String, to index: Int) async throws -> LineClient {
        let client = try await LineClient.connect(port: self.nodes[index].port, name: name)
        self.clients.append(client)
        return client
    }

    /// A user joined as `nickname` on node `index`, past the welcome and with nothing else waiting.
    func join(_ nickname: String, on index: Int) async throws -> LineClient {
        let client = try await self.connect(nickname, to: index)
        try await client.join(as: nickname)
        return client
    }

    /// `kill -9` of node `index`.
    func kill(_ index: Int) {
        self.nodes[index].kill()
    }

    private func stop() async {
        for client in self.clients { await client.close() }
        for node in self.nodes { node.kill() }
        for directory in self.directories { try? FileManager.default.removeItem(at: directory) }
    }
}

extension LineClient {
    /// Reads lines until one is exactly `expected`, skipping others, for at most ``TestCluster/patience``.
    func expectCluster(_ expected: String, maxSkipped: Int = 50) async throws {
        try await self.expectLine(
            where: { $0 == expected },
            described: "\"\(expected)\"",
            timeout: TestCluster.patience,
            maxSkipped: maxSkipped
        )
    }

    /// The lines a command answers with: sends it, then a marker command, and returns what came before the marker's
    /// answer (so no fixed wait decides when an answer is complete).
    func answer(to command: String) async throws -> [String] {
        let marker = "/whois answer-marker-\(UInt32.random(in: 0...UInt32.max))"
        try await self.send(command)
        try await self.send(marker)
        var lines: [String] = []
        while true {
            let line = try await self.nextLine(timeout: TestCluster.patience)
            if line.contains("answer-marker-") { return lines }
            lines.append(line)
        }
    }
}
