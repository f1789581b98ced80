import ChatCore
import Testing

/// Password guesses count on every node: a guesser spreading tries over the nodes meets one slowdown.
struct SharedLoginThrottleTests {
    @Test func aWrongPasswordOnAnotherNodeSlowsDownLoginsHere() async {
        let link = ScriptedClusterLink()
        let limits = AccountLimits()
        let hub = ChatHub(accountLimits: limits, cluster: link)
        #expect(limits.login.delay(nickname: "alice", address: "192.0.2.9") == .zero)
        await hub.receive(
            .loginOutcome(ClusterEvent.LoginOutcome(nickname: "Alice", address: "192.0.2.9", right: false))
        )
        await hub.receive(
            .loginOutcome(ClusterEvent.LoginOutcome(nickname: "Alice", address: "192.0.2.9", right: false))
        )
        #expect(limits.login.delay(nickname: "alice", address: "192.0.2.9") == .seconds(1))
        // A right one there forgets them, as here.
        await hub.receive(
            .loginOutcome(ClusterEvent.LoginOutcome(nickname: "alice", address: "192.0.2.9", right: true))
        )
        #expect(limits.login.delay(nickname: "alice", address: "192.0.2.9") == .zero)
    }

    @Test func aPasswordCheckedHereIsToldToTheOtherNodes() {
        let link = ScriptedClusterLink()
        let limits = AccountLimits()
        _ = ChatHub(accountLimits: limits, cluster: link)
        guard case .proceed(let attempt, _) = limits.login.begin(nickname: "Bob", address: "192.0.2.8") else {
            Issue.record("the first check was not let through")
            return
        }
        limits.login.finish(attempt, .wrong)
        #expect(
            link.published == [
                .loginOutcome(ClusterEvent.LoginOutcome(nickname: "bob", address: "192.0.2.8", right: false))
            ]
        )
    }
}
