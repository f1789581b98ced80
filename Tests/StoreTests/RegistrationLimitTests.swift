import ChatCore
import Testing

/// ``RegistrationLimit``: registrations per address per hour, as `--registrations-per-hour` sets them.
@Suite struct RegistrationLimitTests {
    @Test func allowsTheDefaultFiveAnHourThenAsksToWait() {
        let limit = RegistrationLimit()
        let now = ContinuousClock.now
        for _ in 1...5 {
            #expect(limit.take(for: "10.0.0.1", now: now) == nil)
        }
        let wait = limit.take(for: "10.0.0.1", now: now)
        #expect(wait != nil && wait! > .seconds(11 * 60) && wait! <= .seconds(12 * 60))
        // Another address has its own allowance.
        #expect(limit.take(for: "10.0.0.2", now: now) == nil)
    }

    @Test func aClassBehindOneAddressGetsWhatTheOptionSays() {
        let limit = RegistrationLimit(perAddressPerHour: 40)
        let now = ContinuousClock.now
        for _ in 1...40 {
            #expect(limit.take(for: "10.0.0.1", now: now) == nil)
        }
        #expect(limit.take(for: "10.0.0.1", now: now) != nil)
    }

    @Test func zeroMeansNoLimit() {
        let limit = RegistrationLimit(perAddressPerHour: 0)
        let now = ContinuousClock.now
        for _ in 1...1000 {
            #expect(limit.take(for: "10.0.0.1", now: now) == nil)
        }
    }
}
