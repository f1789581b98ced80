import ChatCore
import ChatTesting
import Testing

/// ``LoginThrottle``: wrong guesses slow down their nickname from their address, their nickname from untrusted
/// addresses, and their whole address only past its allowance; an owner's trusted address is never slowed down by
/// strangers, and a classroom behind one address not by one person's typos.
@Suite struct LoginThrottleTests {
    private let start = ContinuousClock.now

    private func after(_ seconds: Double) -> ContinuousClock.Instant {
        self.start + .milliseconds(Int64(seconds * 1000))
    }

    /// Runs one check from `address` for `nickname` that ends with `outcome`.
    private func guess(
        _ throttle: LoginThrottle,
        _ nickname: String,
        from address: String,
        _ outcome: LoginThrottle.Outcome = .wrong,
        at seconds: Double = 1
    ) throws {
        guard
            case .proceed(let attempt, _) = throttle.begin(
                nickname: nickname,
                address: address,
                now: self.after(seconds)
            )
        else {
            throw ExpectationFailure("the check was refused as busy")
        }
        throttle.finish(attempt, outcome, now: self.after(seconds))
    }

    @Test func asksForNoDelayAtFirst() {
        let throttle = LoginThrottle()
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1", now: self.start) == .zero)
    }

    @Test func doublesTheDelayWithEachFailureForANicknameFromUntrustedAddresses() throws {
        let throttle = LoginThrottle()
        var delays: [Duration] = []
        for attempt in 1...4 {
            // A new address each time, so only the nickname's count can explain the delay.
            try self.guess(throttle, "alice", from: "10.0.0.\(attempt)")
            delays.append(throttle.delay(nickname: "ALICE", address: "10.9.9.9", now: self.after(2)))
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
        #expect(throttle.delay(nickname: "bob", address: "10.9.9.9", now: self.after(2)) == .zero)
    }

    @Test func neverSlowsDownTheOwnersTrustedAddressForOthersGuesses() throws {
        let throttle = LoginThrottle()
        try self.guess(throttle, "alice", from: "10.0.0.1", .right, at: 0)
        for attempt in 1...12 {
            try self.guess(throttle, "alice", from: "10.0.1.\(attempt)")
        }
        #expect(throttle.delay(nickname: "alice", address: "10.9.9.9", now: self.after(2)) == .seconds(30))
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1", now: self.after(2)) == .zero)
        // Registering trusts the address too.
        throttle.trust(nickname: "alice", address: "10.0.0.2", now: self.after(2))
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.2", now: self.after(2)) == .zero)
    }

    @Test func slowsDownAnAddressAsAWholeOnlyPastItsAllowance() throws {
        let throttle = LoginThrottle()
        // One person's typos behind a shared address: the rest of the class is not held up.
        for _ in 1...5 {
            try self.guess(throttle, "carol", from: "10.0.0.1")
        }
        #expect(throttle.delay(nickname: "dave", address: "10.0.0.1", now: self.after(2)) == .zero)
        guard case .proceed(let carol, _) = throttle.begin(nickname: "carol", address: "10.0.0.1", now: self.after(2))
        else {
            throw ExpectationFailure("carol's check was refused")
        }
        #expect(throttle.begin(nickname: "dave", address: "10.0.0.1", now: self.after(2)) != .busy)
        throttle.finish(carol, .unchecked, now: self.after(2))
        // Guesses sprayed over many nicknames: past the allowance, the whole address slows down.
        var delays: [Duration] = []
        for attempt in 1...(LoginThrottle.addressAllowance - 5 + 3) {
            try self.guess(throttle, "user\(attempt)", from: "10.0.0.1")
            delays.append(throttle.delay(nickname: "someone", address: "10.0.0.1", now: self.after(2)))
        }
        #expect(delays.suffix(4) == [.zero, .milliseconds(500), .seconds(1), .seconds(2)])
        #expect(throttle.delay(nickname: "someone", address: "10.0.0.2", now: self.after(2)) == .zero)
    }

    @Test func capsTheDelayAtThirtySeconds() throws {
        let throttle = LoginThrottle()
        var delays: [Duration] = []
        for _ in 1...12 {
            try self.guess(throttle, "alice", from: "10.0.0.1")
            delays.append(throttle.delay(nickname: "alice", address: "10.0.0.1", now: self.after(1)))
        }
        #expect(delays[5] == .seconds(16))
        #expect(delays[6...].allSatisfy { $0 == .seconds(30) })
    }

    @Test func forgetsFailuresAfterFifteenMinutes() throws {
        let throttle = LoginThrottle()
        for _ in 1...3 {
            try self.guess(throttle, "alice", from: "10.0.0.1", at: 0)
        }
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.2", now: self.after(14 * 60)) == .seconds(2))
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1", now: self.after(14 * 60)) == .seconds(2))
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.2", now: self.after(15 * 60 + 1)) == .zero)
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1", now: self.after(15 * 60 + 1)) == .zero)
        // A failure after that counts from one again.
        try self.guess(throttle, "alice", from: "10.0.0.1", at: 16 * 60)
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1", now: self.after(16 * 60)) == .milliseconds(500))
    }

    @Test func runsOneCheckAtATimePerNicknameAndPerSuspectAddress() throws {
        let throttle = LoginThrottle()
        guard case .proceed(let first, _) = throttle.begin(nickname: "alice", address: "10.0.0.1", now: self.start)
        else {
            throw ExpectationFailure("the first check was refused")
        }
        // The same nickname from elsewhere waits its turn.
        #expect(throttle.begin(nickname: "Alice", address: "10.0.0.2", now: self.start) == .busy)
        // Someone else, from the same address or from somewhere else, is not held up.
        guard case .proceed(let sameAddress, _) = throttle.begin(nickname: "bob", address: "10.0.0.1", now: self.start)
        else {
            throw ExpectationFailure("a classmate's check was refused")
        }
        guard case .proceed(let other, _) = throttle.begin(nickname: "carol", address: "10.0.0.3", now: self.start)
        else {
            throw ExpectationFailure("an unrelated check was refused")
        }
        throttle.finish(first, .unchecked, now: self.start)
        throttle.finish(sameAddress, .unchecked, now: self.start)
        throttle.finish(other, .unchecked, now: self.start)
        #expect(throttle.begin(nickname: "alice", address: "10.0.0.2", now: self.start) != .busy)
        // An address past its allowance runs one check at a time, whatever the nickname.
        for attempt in 1...(LoginThrottle.addressAllowance + 1) {
            try self.guess(throttle, "user\(attempt)", from: "10.0.0.9")
        }
        guard case .proceed(let suspect, _) = throttle.begin(nickname: "dave", address: "10.0.0.9", now: self.after(2))
        else {
            throw ExpectationFailure("the suspect address's first check was refused")
        }
        #expect(throttle.begin(nickname: "erin", address: "10.0.0.9", now: self.after(2)) == .busy)
        throttle.finish(suspect, .unchecked, now: self.after(2))
    }

    @Test func letsTheOwnersTrustedAddressPastAStrangersRunningCheck() throws {
        let throttle = LoginThrottle()
        try self.guess(throttle, "alice", from: "10.0.0.1", .right, at: 0)
        guard case .proceed = throttle.begin(nickname: "alice", address: "10.6.6.6", now: self.after(1)) else {
            throw ExpectationFailure("the stranger's check was refused")
        }
        guard
            case .proceed(let owner, let delay) = throttle.begin(
                nickname: "alice",
                address: "10.0.0.1",
                now: self.after(1)
            )
        else {
            throw ExpectationFailure("the owner was kept out by a stranger's check")
        }
        #expect(owner.isTrusted)
        #expect(delay == .zero)
    }

    @Test func uncheckedAttemptsCountForNothing() throws {
        let throttle = LoginThrottle()
        for _ in 1...5 {
            try self.guess(throttle, "alice", from: "10.0.0.1", .unchecked)
        }
        #expect(throttle.delay(nickname: "alice", address: "10.0.0.1", now: self.after(2)) == .zero)
    }
}
