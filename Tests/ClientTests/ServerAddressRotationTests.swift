import TerminalClient
import Testing

/// The order in which the client tries the addresses of one chat: in order at first, then round-robin from the
/// address after the one that failed.
@Suite struct ServerAddressRotationTests {
    private let addresses = [
        ServerAddress(host: "10.0.0.1", port: 7000),
        ServerAddress(host: "10.0.0.2", port: 7000),
        ServerAddress(host: "::1", port: 7000),
    ]

    /// Walks rounds as the client does: the first live address of a round wins; each dead one before it fails.
    /// - Returns: the position reached, or nil when every address was dead (the rotation then stands where the
    ///   client would start its next round).
    private static func connect(_ rotation: inout ServerAddressRotation, alive: Set<Int>) -> Int? {
        for position in rotation.round {
            if alive.contains(position) { return position }
            rotation.failed(at: position)
        }
        return nil
    }

    @Test func theFirstRoundTriesTheAddressesInTheOrderGiven() {
        #expect(ServerAddressRotation(self.addresses).round == [0, 1, 2])
    }

    @Test func aLostConnectionStartsTheNextRoundWithTheAddressAfterIt() {
        var rotation = ServerAddressRotation(self.addresses)
        rotation.failed(at: 0)
        #expect(rotation.round == [1, 2, 0])
        rotation.failed(at: 1)
        #expect(rotation.round == [2, 0, 1])
        rotation.failed(at: 2)
        #expect(rotation.round == [0, 1, 2], "after the last address comes the first again")
    }

    @Test func aRoundThatFailedEverywhereIsTriedAgainFromWhereItStarted() {
        var rotation = ServerAddressRotation(self.addresses)
        rotation.failed(at: 1)
        #expect(Self.connect(&rotation, alive: []) == nil)
        #expect(rotation.round == [2, 0, 1], "the last one tried, 1, failed: the next round starts after it")
    }

    @Test func theUsersOfADeadNodeLandOnTheNextLiveOne() {
        var rotation = ServerAddressRotation(self.addresses)
        // The first connection skips a dead first address at once.
        let first = Self.connect(&rotation, alive: [1, 2])
        #expect(first == 1)
        // Node 1 dies: the reconnect starts with node 2, not with the first address.
        rotation.failed(at: 1)
        #expect(Self.connect(&rotation, alive: [0, 2]) == 2)
        // Node 2 dies too, and node 1 is back: 0 is next after 2, then 1.
        rotation.failed(at: 2)
        #expect(Self.connect(&rotation, alive: [1]) == 1)
    }

    @Test func oneAddressIsAlwaysTheWholeRound() {
        var rotation = ServerAddressRotation([ServerAddress(host: "127.0.0.1", port: 4242)])
        #expect(rotation.round == [0])
        rotation.failed(at: 0)
        #expect(rotation.round == [0])
    }

    @Test func aDroppedAddressIsNotTriedAgainAndDroppingAllExhaustsTheRotation() {
        var rotation = ServerAddressRotation(self.addresses)
        rotation.drop(at: 0)
        #expect(rotation.round == [1, 2])
        #expect(!rotation.isExhausted)
        rotation.failed(at: 1)
        #expect(rotation.round == [2, 1])
        rotation.failed(at: 2)
        #expect(rotation.round == [1, 2], "the round wraps around past the dropped address")
        rotation.drop(at: 1)
        rotation.drop(at: 2)
        #expect(rotation.round.isEmpty)
        #expect(rotation.isExhausted)
    }
}
