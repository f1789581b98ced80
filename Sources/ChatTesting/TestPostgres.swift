import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A private, throwaway PostgreSQL cluster for tests: `initdb` into a fresh temporary directory, then `pg_ctl start`
/// on a free loopback port with its Unix socket in that directory, so no system service is needed. Debian's
/// binaries (`/usr/lib/postgresql/N/bin`) refuse to run as root, so as root they run as the `postgres` user.
///
/// One cluster is shared by a test process (``shared()``; each test makes a database of its own with
/// ``createDatabase()``): it is stopped and deleted when the process exits, and a cluster left behind by a test
/// process that died is stopped and deleted by the next one that starts a cluster. ``withCluster(_:)`` gives a test a
/// cluster of its own instead, stopped and deleted however the test ends.
///
/// Where PostgreSQL is not installed, tests that need it skip with ``installHint``; with `SLASHCHAT_REQUIRE_POSTGRES=1`
/// (as in CI) they fail instead.
public final class TestPostgres: Sendable {
    /// The skip message where PostgreSQL is missing.
    public static let installHint =
        "PostgreSQL is not installed (apt-get install postgresql): skipping the tests that need it"
    /// The environment variable that turns that skip into a failure.
    public static let requireVariable = "SLASHCHAT_REQUIRE_POSTGRES"
    /// The user the cluster is made for, with trust authentication on loopback.
    public static let user = "postgres"
    private static let directoryPrefix = "slashchat-postgres-"
    /// Where clusters go: `/tmp`, not `$TMPDIR`, which may be private to root (the `postgres` user must reach the
    /// directory) or long (a Unix socket's path has at most 107 bytes).
    private static let parentDirectory = "/tmp"

    /// The temporary directory: the data directory, the log and the Unix socket live in it.
    public let directory: String
    public let port: Int
    let binDirectory: String

    private init(directory: String, port: Int, binDirectory: String) {
        self.directory = directory
        self.port = port
        self.binDirectory = binDirectory
    }

    /// Whether the tests that need PostgreSQL must run (and fail where it is missing) rather than skip.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment[Self.requireVariable] == "1"
    }

    /// The newest installed server's binaries (`/usr/lib/postgresql/N/bin` with `initdb` and `pg_ctl`), if any.
    public static let installedBinDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }.first { bin in
            FileManager.default.isExecutableFile(atPath: bin + "/initdb")
                && FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl")
        }
    }()

    /// Whether the tests that need PostgreSQL should run: it is installed, or it is required (and they will fail).
    public static var shouldRun: Bool {
        Self.installedBinDirectory != nil || Self.isRequired
    }

    /// A URL for `database` over TCP on loopback.
    public func url(database: String) -> String {
        "postgres://\(Self.user)@127.0.0.1:\(self.port)/\(database)?sslmode=disable"
    }

    /// A URL for `database` over the cluster's Unix socket.
    public func socketURL(database: String) -> String {
        "postgres://\(Self.user)@:\(self.port)/\(database)?host=\(self.directory)"
    }

    // MARK: The shared cluster

    private static let sharedStart = Mutex<Task<TestPostgres, any Error>?>(nil)
    /// The shared cluster's directory and postmaster, for the exit handler.
    private static let sharedCluster = Mutex<(directory: String, pid: pid_t)?>(nil)

    /// The test process's cluster, started by the first test that asks.
    public static func shared() async throws -> TestPostgres {
        let task = Self.sharedStart.withLock { start in
            if let start { return start }
            let task = Task {
                let cluster = try await Self.start()
                Self.sharedCluster.withLock { $0 = (cluster.directory, cluster.postmasterPID() ?? 0) }
                atexit { TestPostgres.stopSharedAtExit() }
                return cluster
            }
            start = task
            return task
        }
        return try await task.value
    }

    private static func stopSharedAtExit() {
        guard let (directory, pid) = Self.sharedCluster.withLock({ $0 }) else { return }
        Self.stopImmediately(directory: directory, pid: pid)
    }

    /// A database of its own for one test (`t_` and a random name).
    public func createDatabase() async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await self.run(
            "createdb",
            ["-h", "127.0.0.1", "-p", "\(self.port)", "-U", Self.user, name],
            asPostgres: false,
            what: "createdb \(name)"
        )
        return name
    }

    // MARK: A cluster of one's own

    /// Starts a cluster of its own for `body`, then stops and deletes it, whatever `body` does.
    public static func withCluster<Result>(_ body: (TestPostgres) async throws -> Result) async throws -> Result {
        let cluster = try await Self.start()
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// Stops the cluster at once (no clean shutdown: it is thrown away) and deletes its directory.
    public func stop() async {
        let (directory, pid) = (self.directory, self.postmasterPID() ?? 0)
        _ = try? await Self.onThread { Self.stopImmediately(directory: directory, pid: pid) }
    }

    // MARK: Starting

    /// `initdb` and `pg_ctl start` in a fresh directory; tries another port when the first is taken meanwhile.
    static func start() async throws -> TestPostgres {
        guard let bin = Self.installedBinDirectory else {
            throw ExpectationFailure(
                "PostgreSQL is not installed (apt-get install postgresql), and \(Self.requireVariable)=1 requires it"
            )
        }
        try await Self.onThread { Self.removeAbandonedClusters() }
        let directory =
            Self.parentDirectory + "/" + Self.directoryPrefix
            + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "\(getpid())".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        if getuid() == 0 {
            guard let account = getpwnam(Self.user) else {
                try? FileManager.default.removeItem(atPath: directory)
                throw ExpectationFailure("running as root, but there is no \(Self.user) user to run PostgreSQL as")
            }
            chown(directory, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        var cluster = TestPostgres(directory: directory, port: 0, binDirectory: bin)
        do {
            try await cluster.run(
                "initdb",
                ["-D", directory + "/data", "-U", Self.user, "-A", "trust", "-E", "UTF8", "--locale=C", "-N"],
                asPostgres: true,
                what: "initdb"
            )
            var lastError: (any Error)?
            for _ in 0..<3 {
                cluster = TestPostgres(directory: directory, port: try await TestServer.freePort(), binDirectory: bin)
                do {
                    try await cluster.startServer()
                    return cluster
                } catch {
                    lastError = error
                }
            }
            throw lastError ?? ExpectationFailure("pg_ctl start failed")
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// `pg_ctl start` on the cluster's port and socket directory.
    private func startServer() async throws {
        try await self.run(
            "pg_ctl",
            [
                "-D", self.directory + "/data", "-l", self.directory + "/postgres.log", "-w", "-t", "60",
                "-o",
                "-p \(self.port) -k \(self.directory) -c listen_addresses=127.0.0.1 -c fsync=off "
                    + "-c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB",
                "start",
            ],
            asPostgres: true,
            what: "pg_ctl start"
        )
    }

    // MARK: Outages (a cluster of one's own only)

    /// Stops the database server (`pg_ctl stop -m fast`: connections are cut at once), keeping its data, as an
    /// outage or the first half of a restart does.
    public func stopServer() async throws {
        try await self.run(
            "pg_ctl",
            ["-D", self.directory + "/data", "-w", "-t", "60", "-m", "fast", "stop"],
            asPostgres: true,
            what: "pg_ctl stop"
        )
    }

    /// Starts the database server again after ``stopServer()``, on the same port.
    public func restartServer() async throws {
        try await self.startServer()
    }

    /// The postmaster's process id, from `postmaster.pid`.
    private func postmasterPID() -> pid_t? {
        Self.postmasterPID(in: self.directory)
    }

    private static func postmasterPID(in directory: String) -> pid_t? {
        (try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8))
            .flatMap { $0.split(separator: "\n").first }
            .flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// SIGQUIT (PostgreSQL's immediate shutdown) to the postmaster, a wait of up to 10 s for it to go, then the
    /// directory deleted. Needs no child process, so it also works in an exit handler.
    private static func stopImmediately(directory: String, pid: pid_t) {
        if pid > 0, kill(pid, SIGQUIT) == 0 {
            for _ in 0..<200 {
                guard kill(pid, 0) == 0 else { break }
                usleep(50_000)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Clusters whose test process is gone (it crashed or was killed): stopped and deleted.
    private static func removeAbandonedClusters() {
        let temporary = Self.parentDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix(Self.directoryPrefix) {
            let directory = temporary + "/" + name
            guard
                let text = try? String(contentsOfFile: directory + "/owner.pid", encoding: .utf8),
                let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            Self.stopImmediately(directory: directory, pid: Self.postmasterPID(in: directory) ?? 0)
        }
    }

    /// Runs one of the cluster's programs (as the `postgres` user when `asPostgres` and this process is root), its
    /// output in a file of the directory; a failure carries that output. Spawned and awaited on a thread of its own
    /// (`posix_spawn`, `waitpid`), so the wait blocks no task.
    private func run(_ program: String, _ arguments: [String], asPostgres: Bool, what: String) async throws {
        var argv = [self.binDirectory + "/" + program] + arguments
        if asPostgres, getuid() == 0 {
            argv = ["/usr/sbin/runuser", "-u", Self.user, "--"] + argv
        }
        let outputPath = self.directory + "/" + UUID().uuidString + ".out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let command = argv
        let status = try await SpawnedCommand.run(command, output: outputPath)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: self.directory + "/postgres.log", encoding: .utf8)) ?? ""
            throw ExpectationFailure("\(what) failed with status \(status): \(text)\(log.suffix(2000))")
        }
    }

    /// Runs `body` on a thread of its own: waits for processes block, and no task may block a thread of the
    /// concurrency pool (two of them on a two-core machine).
    private static func onThread<Value: Sendable>(
        _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
        }
    }
}
