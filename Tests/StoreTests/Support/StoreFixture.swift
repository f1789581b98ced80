import ChatCore
import ChatStoreSQLite
import ChatTesting
import Logging

/// Stores and servers with persistence, for one test: the store is always closed afterwards.
enum StoreFixture {
    /// The default deadline for a line a store test expects: the one every test has (``TestTime/expected``).
    static let lineTimeout = TestTime.expected

    /// Opens the store in `directory`, runs `body` with it and closes it, whatever `body` does.
    static func withStore<Result>(
        in directory: TemporaryDirectory,
        _ body: (SQLiteChatStore) async throws -> Result
    ) async throws -> Result {
        try await Self.using(try await SQLiteChatStore.open(directory: directory.path, logger: TestServer.logger), body)
    }

    /// Runs `body` with an in-memory store, closed afterwards.
    static func withMemoryStore<Result>(_ body: (SQLiteChatStore) async throws -> Result) async throws -> Result {
        try await Self.using(try await SQLiteChatStore.inMemory(logger: TestServer.logger), body)
    }

    private static func using<Result>(
        _ store: SQLiteChatStore,
        _ body: (SQLiteChatStore) async throws -> Result
    ) async throws -> Result {
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// An in-process server whose hub keeps its history and accounts in `directory`'s store. The server is shut
    /// down before the store is closed, as `StoreMaintenance` does in the real server.
    static func withServer(
        in directory: TemporaryDirectory,
        keepsRoomHistory: Bool = true,
        historyOnJoin: Int = 20,
        catchUpLimit: Int = 100,
        configuration: ServerConfiguration = .loopback(),
        _ body: (TestServer, Persistence) async throws -> Void
    ) async throws {
        try await Self.withStore(in: directory) { store in
            let persistence = Persistence(
                store: store,
                keepsRoomHistory: keepsRoomHistory,
                historyOnJoin: historyOnJoin,
                catchUpLimit: catchUpLimit
            )
            try await TestServer.withServer(
                configuration,
                hub: ChatHub(persistence: persistence),
                lineTimeout: Self.lineTimeout
            ) { server in
                try await body(server, persistence)
            }
        }
    }

    /// The same with a fresh temporary data directory of its own.
    static func withServer(
        keepsRoomHistory: Bool = true,
        historyOnJoin: Int = 20,
        catchUpLimit: Int = 100,
        configuration: ServerConfiguration = .loopback(),
        _ body: (TestServer, Persistence) async throws -> Void
    ) async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await Self.withServer(
                in: directory,
                keepsRoomHistory: keepsRoomHistory,
                historyOnJoin: historyOnJoin,
                catchUpLimit: catchUpLimit,
                configuration: configuration,
                body
            )
        }
    }
}
