import Testing

@testable import ChatBench

/// The soak's exact comparison, on hand-made ledgers and receipts.
@Suite struct DeliveryCheckTests {
    private func receipts(_ sequences: [Int: [Int]]) -> ReceiptLog {
        var log = ReceiptLog()
        log.sequencesBySender = sequences
        return log
    }

    private func reader(_ nickname: String, in room: String, got sequences: [Int: [Int]]) -> DeliveryCheck.Reader {
        DeliveryCheck.Reader(nickname: nickname, room: room, receipts: self.receipts(sequences))
    }

    /// Sender 1 says 0, 1, 2 in #main; sends 3 privately to bob (in #games); says 4 in #games after moving.
    private let sent: [SentMessage] = [
        SentMessage(sender: 1, sequence: 0, destination: .room("#main")),
        SentMessage(sender: 1, sequence: 1, destination: .room("#main")),
        SentMessage(sender: 1, sequence: 2, destination: .room("#main")),
        SentMessage(sender: 1, sequence: 3, destination: .reader("bob")),
        SentMessage(sender: 1, sequence: 4, destination: .room("#games")),
    ]

    @Test func everythingInOrderWhereItBelongsIsClean() {
        let check = DeliveryCheck.check(
            sent: self.sent,
            readers: [
                self.reader("alice", in: "#main", got: [1: [0, 1, 2]]),
                self.reader("Bob", in: "#games", got: [1: [3, 4]]),
            ]
        )
        #expect(check.isClean)
        #expect(check.owed == 5)
        #expect(check.delivered == 5)
        #expect(check.examples.isEmpty)
    }

    @Test func countsEachMissingDeliveryAsLost() {
        let check = DeliveryCheck.check(
            sent: self.sent,
            readers: [
                self.reader("alice", in: "#main", got: [1: [0, 2]]),
                self.reader("bob", in: "#games", got: [:]),
            ]
        )
        #expect(check.lost == 3)
        #expect(check.delivered == 2)
        #expect(!check.isClean)
        #expect(check.examples.first == "alice in #main never got 1~1")
    }

    @Test func findsReorderedDuplicatedMisroutedAndInventedTokens() {
        let check = DeliveryCheck.check(
            sent: self.sent,
            readers: [self.reader("alice", in: "#main", got: [1: [1, 0, 2, 2, 4, 3], 7: [0]])]
        )
        #expect(check.lost == 0)
        #expect(check.outOfOrder == 2)
        #expect(check.duplicated == 1)
        #expect(check.misrouted == 2)
        #expect(check.unknown == 1)
    }

    @Test func aLineInFlightAtAResetMayArriveButNeedNot() {
        var sent = self.sent
        sent[2].owed = false
        let without = DeliveryCheck.check(sent: sent, readers: [self.reader("alice", in: "#main", got: [1: [0, 1]])])
        #expect(without.isClean)
        #expect(without.owed == 2)
        let with = DeliveryCheck.check(sent: sent, readers: [self.reader("alice", in: "#main", got: [1: [0, 1, 2]])])
        #expect(with.isClean)
        #expect(with.uncertainArrived == 1)
    }
}
