/// The order in which the client tries the addresses of one chat (the nodes of a cluster).
///
/// A round tries every address once, starting with the one after the last that failed (or whose connection was
/// lost), wrapping around; the first round starts with the first address. So a client whose node dies tries the
/// next node first, and clients spread over the others in turn instead of all waiting on the dead one. An address
/// whose certificate is not trusted is dropped for good: trying it again would end the same way.
public struct ServerAddressRotation: Sendable, Equatable {
    /// Every address, in the order given.
    public let addresses: [ServerAddress]
    /// The position in ``addresses`` where the next round starts.
    public private(set) var start = 0
    /// Positions in ``addresses`` that are not tried any more.
    public private(set) var dropped: Set<Int> = []

    /// - Precondition: `addresses` is not empty.
    public init(_ addresses: [ServerAddress]) {
        precondition(!addresses.isEmpty, "a rotation needs at least one address")
        self.addresses = addresses
    }

    /// The positions in ``addresses`` of the next round, in the order to try them: each address not dropped, once,
    /// from ``start`` on, wrapping around. Empty when every address was dropped.
    public var round: [Int] {
        let count = self.addresses.count
        return (0..<count).map { (self.start + $0) % count }.filter { !self.dropped.contains($0) }
    }

    /// True when every address was dropped: nothing is left to try.
    public var isExhausted: Bool {
        self.dropped.count == self.addresses.count
    }

    /// The address at `position` could not be reached, or its connection was lost: the next round starts with the
    /// address after it.
    public mutating func failed(at position: Int) {
        self.start = (position + 1) % self.addresses.count
    }

    /// The address at `position` is not to be tried again (its certificate is not trusted); the next round starts
    /// after it.
    public mutating func drop(at position: Int) {
        self.dropped.insert(position)
        self.failed(at: position)
    }
}
