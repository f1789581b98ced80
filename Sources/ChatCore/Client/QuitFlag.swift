import Synchronization

/// Remembers whether this side asked to quit, so a closed connection can be told apart from a lost one.
final class QuitFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() {
        self.flag.store(true, ordering: .relaxed)
    }

    var isSet: Bool {
        self.flag.load(ordering: .relaxed)
    }
}
