import ChatTesting
import Synchronization
import Testing

@testable import ChatCore

/// ``HubTimers``: timed work fires when its clock says, and nothing outlives ``HubTimers/stop()``.
@Suite struct HubTimersTests {
    static let patience = TestTime.expected

    @Test func firesWhenTheClockReachesTheDelayAndNotBefore() async throws {
        let clock = ManualClock()
        let timers = HubTimers(clock: clock)
        let fired = Mutex(0)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await timers.run() }
            timers.schedule(after: .seconds(60)) { fired.withLock { $0 += 1 } }
            #expect(await Deadline.poll(within: Self.patience) { clock.sleeperCount == 1 })
            clock.advance(by: .seconds(59))
            #expect(fired.withLock { $0 } == 0)
            clock.advance(by: .seconds(1))
            #expect(await Deadline.poll(within: Self.patience) { fired.withLock { $0 } == 1 })
            timers.stop()
        }
    }

    @Test func stoppingEndsRunAndCancelsWhatIsPending() async {
        let clock = ManualClock()
        let timers = HubTimers(clock: clock)
        let fired = Mutex(false)
        await withDiscardingTaskGroup { group in
            group.addTask { await timers.run() }
            timers.schedule(after: .seconds(60)) { fired.withLock { $0 = true } }
            _ = await Deadline.poll(within: Self.patience) { clock.sleeperCount == 1 }
            timers.stop()
        }
        // run() has returned (the group ended), and the sleeping timer went with it.
        #expect(clock.sleeperCount == 0)
        clock.advance(by: .seconds(120))
        #expect(!fired.withLock { $0 })
    }
}
