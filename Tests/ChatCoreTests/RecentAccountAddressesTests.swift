import Testing

@testable import ChatCore

/// Where accounts' sessions came from lately, for the console's `ban` of an account that is offline.
@Suite struct RecentAccountAddressesTests {
    @Test func keepsTheMostRecentAddressesOfEachAccountWhateverItsCase() {
        var recent = RecentAccountAddresses()
        for address in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.3"] {
            recent.record(address, for: "Alice")
        }
        #expect(recent.addresses(of: "alice") == ["192.0.2.3", "192.0.2.5", "192.0.2.4", "192.0.2.2"])
        #expect(recent.addresses(of: "bob").isEmpty)
    }

    @Test func forgetsTheLeastRecentlySeenAccountPastItsCap() {
        var recent = RecentAccountAddresses()
        for index in 0...RecentAccountAddresses.accounts {
            recent.record("192.0.2.1", for: "user\(index)")
        }
        #expect(recent.addresses(of: "user0").isEmpty)
        #expect(recent.addresses(of: "user1") == ["192.0.2.1"])
        #expect(recent.addresses(of: "user\(RecentAccountAddresses.accounts)") == ["192.0.2.1"])
    }
}
