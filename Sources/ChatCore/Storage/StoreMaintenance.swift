import Logging
import ServiceLifecycle

/// Keeps the store within its retention limits (at start-up, then hourly) and within its size cap (checked every
/// 10 s: a flood within the flood limits can write megabytes a minute), and closes it at shutdown.
///
/// In the service group it comes before the server, so it shuts down after it: the store closes only once no
/// connection can write any more.
public struct StoreMaintenance: Service, CustomStringConvertible {
    public static let interval = Duration.seconds(3600)
    /// How often the size cap is checked.
    public static let sizeCheckInterval = Duration.seconds(10)
    /// The fewest messages deleted per step while the store is over its cap.
    static let minimumPruneStep = 100

    let store: any StoreUpkeep & AccountStore
    let maximumAge: Duration?
    let maximumPerRoom: Int?
    let accountExpiry: Duration?
    let maximumBytes: Int64?
    let logger: Logger

    /// - Parameters:
    ///   - retainDays: delete messages older than this (nil or 0: keep them).
    ///   - retainMessages: keep at most this many messages per room (nil or 0: no limit).
    ///   - accountExpiryDays: delete accounts nobody logged into for this long (nil or 0: keep them).
    ///   - maximumMegabytes: keep the store under this many MiB by deleting the oldest history (nil or 0: no cap).
    public init(
        store: any StoreUpkeep & AccountStore,
        retainDays: Int?,
        retainMessages: Int?,
        accountExpiryDays: Int? = nil,
        maximumMegabytes: Int? = nil,
        logger: Logger
    ) {
        self.store = store
        self.maximumBytes = maximumMegabytes.flatMap { $0 > 0 ? Int64($0) << 20 : nil }
        self.accountExpiry = accountExpiryDays.flatMap { $0 > 0 ? Duration.seconds($0 * 86_400) : nil }
        self.maximumAge = retainDays.flatMap { $0 > 0 ? Duration.seconds($0 * 86_400) : nil }
        self.maximumPerRoom = retainMessages.flatMap { $0 > 0 ? $0 : nil }
        self.logger = logger
    }

    public var description: String { "StoreMaintenance" }

    public func run() async throws {
        var sinceRetention = Self.interval
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if sinceRetention >= Self.interval {
                await self.applyRetention()
                sinceRetention = .zero
            }
            await self.keepUnderCap()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.sizeCheckInterval) }
            sinceRetention += Self.sizeCheckInterval
        }
        // Closed even when the group cancels this service (another failed to start, e.g. a port in use): a
        // cancelled close fails and leaves the database open. Awaited at once, so the task ends with this service.
        let store = self.store
        await Task.detached { await store.close() }.value
    }

    private func applyRetention() async {
        do {
            let removed = try await self.store.prune(maximumAge: self.maximumAge, maximumPerRoom: self.maximumPerRoom)
            if removed > 0 {
                self.logger.info("pruned history", metadata: ["messages": "\(removed)"])
            }
        } catch is CancellationError {
            // The server is stopping (or never started): not a failure of the store.
        } catch {
            self.logger.error("pruning the history failed", metadata: ["error": "\(error)"])
        }
        if let accountExpiry = self.accountExpiry {
            do {
                let removed = try await self.store.deleteAccounts(unusedFor: accountExpiry)
                if removed > 0 {
                    self.logger.notice("deleted unused accounts", metadata: ["accounts": "\(removed)"])
                }
            } catch is CancellationError {
                // The server is stopping (or never started): not a failure of the store.
            } catch {
                self.logger.error("deleting unused accounts failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Over the cap, deletes the oldest history until the store is back under 90 % of it (so it does not prune a
    /// little on every check), or until no history is left to delete.
    public func keepUnderCap() async {
        guard let maximumBytes = self.maximumBytes else { return }
        do {
            guard try await self.store.usedBytes() > maximumBytes else { return }
            let target = maximumBytes / 10 * 9
            var removed = 0
            while case let used = try await self.store.usedBytes(), used > target {
                // As many messages as the excess is worth at the store's average size per message, so a big
                // overshoot goes in a few statements and a small one does not take everything.
                let perMessage = max(1, used / Int64(max(1, try await self.store.messageCount())))
                let step = try await self.store.pruneOldest(
                    max(Self.minimumPruneStep, Int((used - target) / perMessage) + 1)
                )
                guard step > 0 else {
                    self.logger.warning(
                        """
                        the store is over --max-store-mb with no history left to delete (accounts and waiting private \
                        messages are kept)
                        """
                    )
                    break
                }
                removed += step
            }
            self.logger.notice(
                "store over --max-store-mb: deleted the oldest history",
                metadata: ["messages": "\(removed)"]
            )
        } catch is CancellationError {
            // The server is stopping (or never started): not a failure of the store.
        } catch {
            self.logger.error("keeping the store under its cap failed", metadata: ["error": "\(error)"])
        }
    }
}
