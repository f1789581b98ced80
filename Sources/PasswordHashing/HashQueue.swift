import NIOPosix
import Synchronization

/// The one scrypt thread and the two lines that wait for it: password checks at login, and the hashes of
/// `/register` and `/password` (whose old password is checked here too).
///
/// Each line has its own places, and the thread takes the two lines in turn whenever both wait, so logins always get
/// half of the hashing capacity: 32 accounts looping `/password OLD NEW` with their right password used to keep one
/// shared queue full and every owner's login answered "busy". A login now waits behind at most one change per login
/// ahead of it, and changes still get their half while logins pour in.
final class HashQueue: Sendable {
    /// Hashes that may wait in one line at once; more is ``PasswordHasher/QueueError/busy``.
    let places: [PasswordHasher.Purpose: Int]

    private struct Job {
        /// Runs on the scrypt thread; false when the thread pool is shutting down and nothing may run.
        let run: @Sendable (_ isActive: Bool) -> Void
    }

    private struct Lines {
        var waiting: [PasswordHasher.Purpose: [Job]] = [.login: [], .change: []]
        /// Jobs per line, queued or running, against ``HashQueue/places``.
        var counts: [PasswordHasher.Purpose: Int] = [.login: 0, .change: 0]
        /// Which line goes first when both wait.
        var loginsFirst = true
    }

    private let lines = Mutex(Lines())

    /// Scrypt gets its own thread: a burst of logins must not queue up in front of the store's queries (which use
    /// NIO's shared pool), or every room message would wait for them.
    private let pool: NIOThreadPool

    init(places: [PasswordHasher.Purpose: Int]) {
        self.places = places
        self.pool = NIOThreadPool(numberOfThreads: 1)
        self.pool.start()
    }

    /// Runs `body` on the scrypt thread in `purpose`'s line, unless `gone()` by its turn.
    func run<Value: Sendable>(
        _ purpose: PasswordHasher.Purpose,
        abandonIf gone: @escaping @Sendable () -> Bool,
        _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        let admitted = self.lines.withLock { lines in
            guard lines.counts[purpose, default: 0] < self.places[purpose, default: 0] else { return false }
            lines.counts[purpose, default: 0] += 1
            return true
        }
        guard admitted else { throw PasswordHasher.QueueError.busy }
        return try await withCheckedThrowingContinuation { continuation in
            let job = Job { isActive in
                continuation.resume(
                    with: Result {
                        guard isActive, !gone() else { throw PasswordHasher.QueueError.abandoned }
                        return try body()
                    }
                )
                self.lines.withLock { $0.counts[purpose, default: 0] -= 1 }
            }
            self.lines.withLock { $0.waiting[purpose, default: []].append(job) }
            // One pool task per job: each runs whichever job is due, so the pool's own first-come order never
            // decides which line goes next.
            self.pool.submit { state in
                self.next()?.run(state == .active)
            }
        }
    }

    /// The job due now: the line whose turn it is, or the other when that one is empty.
    private func next() -> Job? {
        self.lines.withLock { lines in
            let order: [PasswordHasher.Purpose] = lines.loginsFirst ? [.login, .change] : [.change, .login]
            guard let purpose = order.first(where: { !(lines.waiting[$0]?.isEmpty ?? true) }) else { return nil }
            lines.loginsFirst = purpose == .change
            return lines.waiting[purpose]!.removeFirst()
        }
    }
}
