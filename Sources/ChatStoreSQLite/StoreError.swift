/// Why the store cannot be used; each case reads as a sentence for the operator.
public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notADatabase(path: String)
    case newerSchema(path: String, version: Int, supported: Int)
    case migrationFailed(version: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the chat store \(path): \(reason)"
        case .notADatabase(let path):
            "the chat store \(path) is corrupt or not an SQLite database; restore it from a backup or move it away "
                + "to start with an empty store"
        case .newerSchema(let path, let version, let supported):
            "the chat store \(path) has schema version \(version), newer than this server understands (\(supported)); "
                + "run a newer slashchat"
        case .migrationFailed(let version, let reason):
            "upgrading the chat store to schema version \(version) failed: \(reason)"
        }
    }
}
