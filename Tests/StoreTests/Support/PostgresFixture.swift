import ChatStorePostgres
import ChatTesting
import Logging

/// PostgreSQL stores for one test: each in a fresh database of the test process's throwaway cluster
/// (``TestPostgres``), always closed afterwards.
enum PostgresFixture {
    /// A small pool and a short retry: tests open many stores side by side.
    static var options: PostgresChatStore.Options {
        var options = PostgresChatStore.Options()
        options.maximumConnections = 4
        return options
    }

    /// A fresh database's URL.
    static func freshDatabaseURL() async throws -> String {
        let cluster = try await TestPostgres.shared()
        return cluster.url(database: try await cluster.createDatabase())
    }

    /// A fresh database's connection string.
    static func freshDatabase() async throws -> PostgresConnectionString {
        try PostgresConnectionString(parsing: try await Self.freshDatabaseURL())
    }

    /// Opens a store on a fresh database, runs `body` with it and closes it, whatever `body` does.
    static func withStore<Result>(_ body: (PostgresChatStore) async throws -> Result) async throws -> Result {
        try await Self.withStore(on: try await Self.freshDatabase(), body)
    }

    /// Opens a store on `database`, runs `body` with it and closes it, whatever `body` does.
    static func withStore<Result>(
        on database: PostgresConnectionString,
        _ body: (PostgresChatStore) async throws -> Result
    ) async throws -> Result {
        let store = try await PostgresChatStore.open(database, logger: TestServer.logger, options: Self.options)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
