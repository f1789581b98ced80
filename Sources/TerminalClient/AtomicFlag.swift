import Synchronization

/// A yes/no that several tasks share: "we asked to quit", "this connection reached the welcome".
public final class AtomicFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func set() {
        self.flag.store(true, ordering: .relaxed)
    }

    public var isSet: Bool {
        self.flag.load(ordering: .relaxed)
    }
}
