import Synchronization

/// Where the server listens, filled in by ``ChatServer`` once every listener is bound (so a port asked as 0 is the
/// real one) and before any of them accepts; sessions read it to point plain-text clients at the encrypted port.
public final class ListeningAddresses: Sendable {
    private let addresses = Mutex<[ListeningAddress]>([])

    init() {}

    /// Every listener's address, in the order of the `listening on` lines; empty until they are bound.
    public var all: [ListeningAddress] { self.addresses.withLock { $0 } }

    /// The first listener whose traffic is encrypted, if any.
    public var firstEncrypted: ListeningAddress? { self.addresses.withLock { $0.first(where: \.isEncrypted) } }

    package func record(_ addresses: [ListeningAddress]) {
        self.addresses.withLock { $0 = addresses }
    }
}
