/// What ``StoreMaintenance`` needs to keep a store within its retention rules and its size cap.
public protocol StoreUpkeep: Sendable {
    /// The bytes the store's live data takes.
    func usedBytes() async throws -> Int64
    /// How many room messages the store holds.
    func messageCount() async throws -> Int
    /// Deletes the `count` oldest room messages, whatever their room, and the oldest delivered private messages
    /// with them; accounts, bans and undelivered private messages are never touched. Returns how many went.
    func pruneOldest(_ count: Int) async throws -> Int
    /// Deletes messages older than `maximumAge` and, per room, beyond the newest `maximumPerRoom`. Returns how
    /// many were removed.
    func prune(maximumAge: Duration?, maximumPerRoom: Int?) async throws -> Int
    /// Closes the store (at shutdown, after the server has stopped).
    func close() async
}
