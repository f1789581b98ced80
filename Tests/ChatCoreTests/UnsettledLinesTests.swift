import Testing

@testable import ChatCore

/// ``UnsettledLines``: a sender runs ahead of delivery by at most ``UnsettledLines/maximum`` messages.
@Suite struct UnsettledLinesTests {
    @Test func theSenderWaitsOnlyAtTheMaximum() {
        var unsettled = UnsettledLines()
        #expect(!unsettled.any)
        var waits: [Bool] = []
        for _ in 0..<UnsettledLines.maximum {
            waits.append(unsettled.posted())
        }
        #expect(waits == Array(repeating: false, count: UnsettledLines.maximum - 1) + [true])
        #expect(unsettled.any)
    }

    @Test func settlingStartsTheCountAgain() {
        var unsettled = UnsettledLines()
        for _ in 0..<UnsettledLines.maximum {
            _ = unsettled.posted()
        }
        unsettled.settled()
        #expect(!unsettled.any)
        let mustWait = unsettled.posted()
        #expect(!mustWait)
        #expect(unsettled.count == 1)
    }
}
