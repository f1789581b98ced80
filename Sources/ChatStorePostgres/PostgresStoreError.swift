import PostgresNIO

/// Why the PostgreSQL store cannot be used; each case reads as a sentence for the operator, and none repeats the
/// password.
public enum PostgresStoreError: Error, CustomStringConvertible {
    /// Every try to connect failed; the last error is named.
    case unreachable(target: String, attempts: Int, lastError: String)
    case newerSchema(target: String, version: Int, supported: Int)
    case migrationFailed(version: Int, reason: String)
    /// The database answered something the store cannot read.
    case unexpectedAnswer(String)

    public var description: String {
        switch self {
        case .unreachable(let target, let attempts, let lastError):
            "cannot reach the PostgreSQL store \(target) after \(attempts) tries: \(lastError)"
        case .newerSchema(let target, let version, let supported):
            "the PostgreSQL store \(target) has schema version \(version), newer than this server understands "
                + "(\(supported)); run a newer slashchat"
        case .migrationFailed(let version, let reason):
            "upgrading the PostgreSQL store to schema version \(version) failed: \(reason)"
        case .unexpectedAnswer(let what):
            "the PostgreSQL store answered something unexpected: \(what)"
        }
    }

    /// An error from postgres-nio as a sentence: the server's own message and SQLSTATE when it sent one, the
    /// connection failure otherwise (a `PSQLError` prints only a placeholder by design).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            let code = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + code
        }
        if let underlying = error.underlying {
            return "\(error.code): \(underlying)"
        }
        return "\(error.code)"
    }
}
