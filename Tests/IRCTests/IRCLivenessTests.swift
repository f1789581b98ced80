import NIOCore
import Testing

@testable import ChatTransportIRC

/// The keep-alive's rule, on a clock of plain numbers: ping a client silent for an interval, close it when it stays
/// silent an interval after the ping, and forget the ping once it speaks.
@Suite struct IRCLivenessTests {
    private let interval = UInt64(IRCLiveness.interval.nanoseconds)
    private let heard: UInt64 = 1_000_000_000

    @Test func aClientHeardWithinTheIntervalIsLeftAlone() {
        #expect(IRCLiveness.verdict(now: self.heard, lastHeard: self.heard, pingedAt: 0) == .wait)
        #expect(IRCLiveness.verdict(now: self.heard + self.interval - 1, lastHeard: self.heard, pingedAt: 0) == .wait)
    }

    @Test func aClientSilentForTheIntervalIsPinged() {
        #expect(IRCLiveness.verdict(now: self.heard + self.interval, lastHeard: self.heard, pingedAt: 0) == .ping)
    }

    @Test func aPingedClientGetsAnIntervalToAnswerThenTimesOut() {
        let pinged = self.heard + self.interval + 5
        #expect(IRCLiveness.verdict(now: pinged + 1, lastHeard: self.heard, pingedAt: pinged) == .awaitAnswer)
        #expect(
            IRCLiveness.verdict(now: pinged + self.interval - 1, lastHeard: self.heard, pingedAt: pinged)
                == .awaitAnswer
        )
        #expect(IRCLiveness.verdict(now: pinged + self.interval, lastHeard: self.heard, pingedAt: pinged) == .timeOut)
    }

    @Test func anAnswerClearsThePingAndStartsTheIntervalAgain() {
        let pinged = self.heard + self.interval
        let answered = pinged + 10
        #expect(IRCLiveness.verdict(now: answered + 1, lastHeard: answered, pingedAt: pinged) == .wait)
        #expect(
            IRCLiveness.verdict(now: answered + self.interval, lastHeard: answered, pingedAt: pinged) == .ping
        )
    }
}
