/// Group commit for room messages: whoever is waiting when a write starts goes into the next one.
///
/// Each sender waits until its message is committed (so nobody sees a message the store could still lose), but the
/// store does one write per batch, not per message: under load, batches grow and the cost per message shrinks.
public actor HistoryWriter {
    private let store: ChatStore
    private var pending: [(message: StoredMessage, continuation: CheckedContinuation<Int64, any Error>)] = []
    private var isFlushing = false

    public init(store: ChatStore) {
        self.store = store
    }

    /// Stores `message` (in the next batch) and returns its id once committed.
    public func append(_ message: StoredMessage) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            self.pending.append((message, continuation))
            if !self.isFlushing {
                self.isFlushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !self.pending.isEmpty {
            let batch = self.pending
            self.pending = []
            do {
                let ids = try await self.store.append(batch.map(\.message))
                for (index, entry) in batch.enumerated() {
                    entry.continuation.resume(returning: index < ids.count ? ids[index] : 0)
                }
            } catch {
                for entry in batch {
                    entry.continuation.resume(throwing: error)
                }
            }
        }
        self.isFlushing = false
    }
}
