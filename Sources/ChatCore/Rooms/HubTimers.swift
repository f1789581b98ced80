/// The hub's timed work (a join notice's short window, a big room's summary a minute later), owned by one
/// structured task group instead of stray `Task {}`s: ``run()`` holds every pending timer as a child task, and
/// ``stop()`` ends them all, so no timer outlives the server. The clock is a parameter, so tests can move time
/// instead of waiting for it.
///
/// Work scheduled before ``run()`` starts waits for it; work scheduled after ``stop()`` is dropped (the server is
/// going away, and the hub says nothing more then anyway).
public final class HubTimers: Sendable {
    private struct Timer: Sendable {
        let delay: Duration
        let work: @Sendable () async -> Void
    }

    private let clock: any Clock<Duration>
    private let timers: AsyncStream<Timer>
    private let scheduler: AsyncStream<Timer>.Continuation

    /// - Parameter clock: what timers sleep on; `ContinuousClock` in the server, a manual clock in tests.
    public init(clock: any Clock<Duration> = ContinuousClock()) {
        self.clock = clock
        (self.timers, self.scheduler) = AsyncStream.makeStream(of: Timer.self)
    }

    /// Runs `work` once `delay` has passed on the clock.
    func schedule(after delay: Duration, _ work: @escaping @Sendable () async -> Void) {
        self.scheduler.yield(Timer(delay: delay, work: work))
    }

    /// Runs the timers until ``stop()`` (or until the calling task is cancelled); pending ones are then cancelled
    /// without running. Call it once, for the hub's lifetime (``ChatServer`` does).
    public func run() async {
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            for await timer in self.timers {
                group.addTask {
                    guard (try? await clock.sleep(for: timer.delay)) != nil else { return }
                    await timer.work()
                }
            }
            // Stopped: what is still sleeping will never be wanted.
            group.cancelAll()
        }
    }

    /// Ends ``run()``: no more timers, and those pending are cancelled.
    public func stop() {
        self.scheduler.finish()
    }
}
