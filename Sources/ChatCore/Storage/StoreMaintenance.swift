import Logging
import ServiceLifecycle

/// Keeps the store within its retention limits (at start-up, then hourly) and closes it at shutdown.
///
/// In the service group it comes before the server, so it shuts down after it: the store closes only once no
/// connection can write any more.
public struct StoreMaintenance: Service, CustomStringConvertible {
    public static let interval = Duration.seconds(3600)

    let store: ChatStore
    let maximumAge: Duration?
    let maximumPerRoom: Int?
    let accountExpiry: Duration?
    let logger: Logger

    /// - Parameters:
    ///   - retainDays: delete messages older than this (nil or 0: keep them).
    ///   - retainMessages: keep at most this many messages per room (nil or 0: no limit).
    ///   - accountExpiryDays: delete accounts nobody logged into for this long (nil or 0: keep them).
    public init(store: ChatStore, retainDays: Int?, retainMessages: Int?, accountExpiryDays: Int? = nil, logger: Logger) {
        self.store = store
        self.accountExpiry = accountExpiryDays.flatMap { $0 > 0 ? Duration.seconds($0 * 86_400) : nil }
        self.maximumAge = retainDays.flatMap { $0 > 0 ? Duration.seconds($0 * 86_400) : nil }
        self.maximumPerRoom = retainMessages.flatMap { $0 > 0 ? $0 : nil }
        self.logger = logger
    }

    public var description: String { "StoreMaintenance" }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let removed = try await self.store.prune(maximumAge: self.maximumAge, maximumPerRoom: self.maximumPerRoom)
                if removed > 0 {
                    self.logger.info("pruned history", metadata: ["messages": "\(removed)"])
                }
            } catch {
                self.logger.error("pruning the history failed", metadata: ["error": "\(error)"])
            }
            if let accountExpiry = self.accountExpiry {
                do {
                    let removed = try await self.store.deleteAccounts(unusedFor: accountExpiry)
                    if removed > 0 {
                        self.logger.notice("deleted unused accounts", metadata: ["accounts": "\(removed)"])
                    }
                } catch {
                    self.logger.error("deleting unused accounts failed", metadata: ["error": "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
        await self.store.close()
    }
}
