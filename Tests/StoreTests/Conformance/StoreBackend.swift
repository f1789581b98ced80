import ChatCore
import ChatStorePostgres
import ChatStoreSQLite
import ChatTesting
import Testing

/// The store implementations the conformance tests run against: each test takes one and must pass with both.
enum StoreBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL where it is installed, or where it is required (`SLASHCHAT_REQUIRE_POSTGRES=1`:
    /// then its tests fail without it). `PostgresStoreTests` says when it is skipped.
    static let tested: [StoreBackend] = TestPostgres.shouldRun ? [.sqlite, .postgres] : [.sqlite]

    var testDescription: String { self.rawValue }

    /// Opens an empty store of this kind (SQLite in a temporary directory, PostgreSQL in a fresh database), runs
    /// `body` with it and closes it.
    func withStore<Result>(_ body: (any ChatStorage) async throws -> Result) async throws -> Result {
        switch self {
        case .sqlite:
            try await TemporaryDirectory.withDirectory { directory in
                try await StoreFixture.withStore(in: directory) { try await body($0) }
            }
        case .postgres:
            try await PostgresFixture.withStore { try await body($0) }
        }
    }
}
