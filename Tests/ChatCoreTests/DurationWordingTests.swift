import Testing

@testable import ChatCore

/// The `/whois` wording of idle and connected times.
@Suite struct DurationWordingTests {
    @Test(arguments: [
        (Duration.zero, "0s"),
        (.seconds(4), "4s"),
        (.milliseconds(59_999), "59s"),
        (.seconds(60), "1m 0s"),
        (.seconds(192), "3m 12s"),
        (.seconds(3599), "59m 59s"),
        (.seconds(3600), "1h 0m"),
        (.seconds(7500), "2h 5m"),
        (.seconds(86_399), "23h 59m"),
        (.seconds(86_400), "1d 0h"),
        (.seconds(3 * 86_400 + 4 * 3600 + 59), "3d 4h"),
    ])
    func wordsTheTwoLargestUnits(duration: Duration, expected: String) {
        #expect(DurationWording.compact(duration) == expected)
    }

    @Test func aNegativeDurationReadsAsNoTimeAtAll() {
        #expect(DurationWording.compact(.seconds(-5)) == "0s")
    }
}
