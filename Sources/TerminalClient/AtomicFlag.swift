import Synchronization

/// A yes/no that several tasks share: "we asked to quit", "this connection reached the welcome".
final class Flag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() {
        self.flag.store(true, ordering: .relaxed)
    }

    var isSet: Bool {
        self.flag.load(ordering: .relaxed)
    }
}
