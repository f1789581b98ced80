/// The count of plain messages a client has posted and not yet seen delivered. Posting without waiting lets the
/// hub batch a fast sender's lines; the cap makes that sender wait once it is this far ahead, so it cannot queue
/// without bound.
struct UnsettledLines {
    /// Enough to fill the hub's batches, few enough that one fast sender cannot queue without bound.
    static let maximum = 64

    private(set) var count = 0

    /// Whether any message is still unsettled: a line that is not a plain message waits for them first.
    var any: Bool { self.count > 0 }

    /// Counts one more posted message; true when the sender must now wait for its delivery (then call
    /// ``settled()``).
    mutating func posted() -> Bool {
        self.count += 1
        return self.count >= Self.maximum
    }

    /// Every message posted so far has been delivered.
    mutating func settled() {
        self.count = 0
    }
}
