import ChatCore
import Testing

/// ``LoginThrottle``: every recent wrong password for a nickname or from an address doubles the next wait.
@Suite struct LoginThrottleTests {
    private let start = ContinuousClock.now

    private func after(_ seconds: Double) -> ContinuousClock.Instant {
        self.start + .milliseconds(Int64(seconds * 1000))
    }

    @Test func asksForNoDelayAtFirst() {
        let throttle = LoginThrottle()
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1:5000", now: self.start) == .zero)
    }

    @Test func doublesTheDelayWithEachFailureForANickname() {
        let throttle = LoginThrottle()
        var delays: [Duration] = []
        for attempt in 1...4 {
            // A new address each time, so only the nickname's count can explain the delay.
            throttle.recordFailure(nickname: "alice", address: "10.0.0.\(attempt):5000", now: self.after(1))
            delays.append(throttle.delay(nickname: "ALICE", address: "10.9.9.9:1", now: self.after(2)))
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
        #expect(throttle.delay(nickname: "bob", address: "10.9.9.9:1", now: self.after(2)) == .zero)
    }

    @Test func doublesTheDelayWithEachFailureFromAnAddressWhateverThePort() {
        let throttle = LoginThrottle()
        var delays: [Duration] = []
        for attempt in 1...4 {
            // A new nickname and a new port each time: only the address (without its port) is the same.
            let address = "10.0.0.1:\(5000 + attempt)"
            throttle.recordFailure(nickname: "user\(attempt)", address: address, now: self.after(1))
            delays.append(throttle.delay(nickname: "someone", address: "10.0.0.1:6000", now: self.after(2)))
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
        #expect(throttle.delay(nickname: "someone", address: "10.0.0.2:6000", now: self.after(2)) == .zero)
    }

    @Test func capsTheDelayAtThirtySeconds() {
        let throttle = LoginThrottle()
        var delays: [Duration] = []
        for _ in 1...12 {
            throttle.recordFailure(nickname: "alice", address: "10.0.0.1:5000", now: self.after(1))
            delays.append(throttle.delay(nickname: "alice", address: "10.0.0.1:5000", now: self.after(1)))
        }
        #expect(delays[5] == .seconds(16))
        #expect(delays[6...].allSatisfy { $0 == .seconds(30) })
    }

    @Test func forgetsFailuresAfterFifteenMinutes() {
        let throttle = LoginThrottle()
        for _ in 1...3 {
            throttle.recordFailure(nickname: "alice", address: "10.0.0.1:5000", now: self.start)
        }
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.2:1", now: self.after(14 * 60)) == .seconds(2))
        #expect(throttle.delay(nickname: "bob", address: "10.0.0.1:1", now: self.after(14 * 60)) == .seconds(2))
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.2:1", now: self.after(15 * 60 + 1)) == .zero)
        #expect(throttle.delay(nickname: "bob", address: "10.0.0.1:1", now: self.after(15 * 60 + 1)) == .zero)
        // A failure after that counts from one again.
        throttle.recordFailure(nickname: "alice", address: "10.0.0.1:5000", now: self.after(16 * 60))
        let fresh = throttle.delay(nickname: "alice", address: "10.0.0.1:5000", now: self.after(16 * 60))
        #expect(fresh == .milliseconds(500))
    }

    @Test func clearsTheNicknameOnSuccess() {
        let throttle = LoginThrottle()
        throttle.recordFailure(nickname: "alice", address: "10.0.0.1:5000", now: self.start)
        throttle.recordFailure(nickname: "alice", address: "10.0.0.1:5001", now: self.start)
        throttle.recordSuccess(nickname: "Alice", address: "10.0.0.2:5000")
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.2:5000", now: self.after(1)) == .zero)
        // The address that guessed wrong stays slowed down.
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1:5002", now: self.after(1)) == .seconds(1))
    }
}
