/// Everything the chat keeps: what a store backend (SQLite today, PostgreSQL for a cluster) implements. The core
/// reaches it only through these protocols, never a concrete store.
public typealias ChatStorage = HistoryStore & AccountStore & OfflineMessageStore & BanStore & RoomTopicStore
    & StoreUpkeep
