import ChatCore
import Foundation
import Logging
import PostgresNIO

/// The chat's store in PostgreSQL, for a cluster of server nodes: room history, private messages, accounts, ignore
/// lists and bans, with exactly the semantics of ``SQLiteChatStore`` (the store conformance tests run both), and
/// each room message's per-room sequence (``SequencedMessage``).
///
/// Queries go through a ``PostgresClient`` (postgres-nio's pool), always with bound parameters. The store runs the
/// pool itself, in a task it owns from ``open(_:logger:options:)`` until ``close()``: nobody else has to `run()` it,
/// and ``StoreMaintenance`` closes it at shutdown as it does SQLite's. Start-up connects on a connection of its own,
/// with a bounded retry (an unreachable database is ``PostgresStoreError/unreachable(target:attempts:lastError:)``,
/// never a hang), and brings the schema up to date under an advisory lock (``PostgresSchema``).
public final class PostgresChatStore: ChatStorage {
    /// How start-up connects, and how big the pool is.
    public struct Options: Sendable {
        /// Tries to connect before start-up gives up.
        public var connectAttempts = 5
        /// The wait after the first failed try; it doubles after each.
        public var firstRetryDelay = Duration.milliseconds(250)
        /// How long one try may take to connect.
        public var connectTimeout = Duration.seconds(5)
        /// How long start-up waits for another node's migrations (the advisory lock) before it gives up.
        public var migrationLockTimeout = Duration.seconds(60)
        /// The pool's most connections.
        public var maximumConnections = 20

        public init() {}
    }

    /// Where the database is, without the password.
    public let target: String
    /// The pool the store runs, for the cluster's other PostgreSQL users (the room bus, presence) to share; closed
    /// with the store.
    public let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    private init(target: String, client: PostgresClient, logger: Logger) {
        self.target = target
        self.client = client
        self.logger = logger
        self.runner = Task { await client.run() }
    }

    /// Connects (with the bounded retry), migrates, and starts the pool.
    public static func open(
        _ connectionString: PostgresConnectionString,
        logger: Logger,
        options: Options = Options()
    ) async throws -> PostgresChatStore {
        let target = connectionString.redacted
        let connection = try await Self.connect(connectionString, logger: logger, options: options)
        do {
            try await Self.migrate(on: connection, target: target, lockTimeout: options.migrationLockTimeout, logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        var configuration = connectionString.clientConfiguration(connectTimeout: options.connectTimeout)
        configuration.options.maximumConnections = options.maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        logger.info("chat store opened", metadata: ["postgres": "\(target)"])
        return PostgresChatStore(target: target, client: client, logger: logger)
    }

    /// One connection, tried `connectAttempts` times with doubling waits between.
    private static func connect(
        _ connectionString: PostgresConnectionString,
        logger: Logger,
        options: Options
    ) async throws -> PostgresConnection {
        let configuration = try connectionString.connectionConfiguration(connectTimeout: options.connectTimeout)
        var delay = options.firstRetryDelay
        var lastError = "no try was made"
        let attempts = max(1, options.connectAttempts)
        for attempt in 1...attempts {
            do {
                return try await PostgresConnection.connect(configuration: configuration, id: attempt, logger: logger)
            } catch {
                try Task.checkCancellation()
                lastError = PostgresStoreError.describe(error)
                logger.warning(
                    "cannot reach the PostgreSQL store",
                    metadata: [
                        "postgres": "\(connectionString.redacted)", "try": "\(attempt)/\(attempts)",
                        "error": "\(lastError)",
                    ]
                )
            }
            if attempt < attempts {
                try await Task.sleep(for: delay)
                delay *= 2
            }
        }
        throw PostgresStoreError.unreachable(
            target: connectionString.redacted,
            attempts: attempts,
            lastError: lastError
        )
    }

    /// Runs the missing migrations under the advisory lock, each in its own transaction.
    private static func migrate(
        on connection: PostgresConnection,
        target: String,
        lockTimeout: Duration,
        _ logger: Logger
    ) async throws {
        let milliseconds =
            lockTimeout.components.seconds * 1000 + lockTimeout.components.attoseconds / 1_000_000_000_000_000
        try await connection.query("SELECT set_config('lock_timeout', \(String(milliseconds)), false)", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_lock(\(PostgresSchema.migrationLock))", logger: logger)
        } catch {
            throw PostgresStoreError.migrationFailed(
                version: PostgresSchema.latestVersion,
                reason: "waiting for another node's migrations: \(PostgresStoreError.describe(error))"
            )
        }
        do {
            try await Self.runMigrations(on: connection, target: target, logger)
        } catch {
            _ = try? await connection.query(
                "SELECT pg_advisory_unlock(\(PostgresSchema.migrationLock))",
                logger: logger
            )
            throw error
        }
        try await connection.query("SELECT pg_advisory_unlock(\(PostgresSchema.migrationLock))", logger: logger)
    }

    private static func runMigrations(on connection: PostgresConnection, target: String, _ logger: Logger) async throws
    {
        try await connection.query(PostgresQuery(unsafeSQL: PostgresSchema.versionTable), logger: logger)
        var version = 0
        for try await found in try await connection.query(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            logger: logger
        ).decode(Int32.self) {
            version = Int(found)
        }
        guard version <= PostgresSchema.latestVersion else {
            throw PostgresStoreError.newerSchema(
                target: target,
                version: version,
                supported: PostgresSchema.latestVersion
            )
        }
        guard version < PostgresSchema.latestVersion else { return }
        for next in (version + 1)...PostgresSchema.latestVersion {
            do {
                try await connection.withTransaction(logger: logger) { connection in
                    for statement in PostgresSchema.migrations[next - 1] {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO schema_version (version) VALUES (\(Int32(next)))",
                        logger: logger
                    )
                }
            } catch let error as PostgresTransactionError {
                let cause = error.closureError ?? error.commitError ?? error.beginError ?? error
                throw PostgresStoreError.migrationFailed(version: next, reason: PostgresStoreError.describe(cause))
            }
            logger.info("chat store migrated", metadata: ["version": "\(next)", "postgres": "\(target)"])
        }
    }

    /// Stops the pool (at shutdown, after the server has stopped): its connections close.
    public func close() async {
        self.runner.cancel()
        await self.runner.value
    }

    // MARK: Query helpers

    /// Runs a statement, dropping any rows.
    func execute(_ query: PostgresQuery) async throws {
        try await self.client.query(query, logger: self.logger)
    }

    /// The first column of the first row, as an integer (nil when no row came back).
    func integer(_ query: PostgresQuery) async throws -> Int64? {
        for try await value in try await self.client.query(query, logger: self.logger).decode(Int64.self) {
            return value
        }
        return nil
    }

    static func nowMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970 * 1000)
    }

    /// A `LIMIT` value as SQLite reads it: a negative limit is no limit (NULL for PostgreSQL).
    static func limit(_ limit: Int) -> Int64? {
        limit < 0 ? nil : Int64(limit)
    }
}
