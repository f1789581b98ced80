import ChatTransportWeb
import Testing

/// Which pages may open the WebSocket: the page's own origin, the listed ones, and requests that no page made.
@Suite struct OriginPolicyTests {
    let policy = OriginPolicy()

    @Test func thePagesOwnOriginMayConnect() {
        #expect(self.policy.allows(origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080", isEncrypted: false))
        #expect(self.policy.allows(origin: "https://chat.example.org", host: "chat.example.org", isEncrypted: true))
        #expect(
            self.policy.allows(
                origin: "HTTP://Chat.Example.ORG:8080",
                host: "chat.example.org:8080",
                isEncrypted: false
            )
        )
    }

    @Test func anotherSiteMayNot() {
        #expect(!self.policy.allows(origin: "http://evil.example", host: "127.0.0.1:8080", isEncrypted: false))
        #expect(!self.policy.allows(origin: "http://127.0.0.1:9999", host: "127.0.0.1:8080", isEncrypted: false))
        #expect(!self.policy.allows(origin: "null", host: "127.0.0.1:8080", isEncrypted: false))
    }

    @Test func theSchemeMustMatchTheListener() {
        // A page served over plain HTTP elsewhere on the same name must not reach the HTTPS door, and back.
        #expect(!self.policy.allows(origin: "http://chat.example.org", host: "chat.example.org", isEncrypted: true))
        #expect(!self.policy.allows(origin: "https://chat.example.org", host: "chat.example.org", isEncrypted: false))
    }

    @Test func aDefaultPortMayBeWrittenOrLeftOut() {
        #expect(self.policy.allows(origin: "https://chat.example.org", host: "chat.example.org:443", isEncrypted: true))
        #expect(self.policy.allows(origin: "http://chat.example.org:80", host: "chat.example.org", isEncrypted: false))
    }

    @Test func listedOriginsMayConnectFromAnyHost() {
        let policy = OriginPolicy(extraOrigins: ["https://Chat.Example.org/"])
        #expect(policy.allows(origin: "https://chat.example.org", host: "10.0.0.5:8080", isEncrypted: false))
        #expect(!policy.allows(origin: "https://other.example.org", host: "10.0.0.5:8080", isEncrypted: false))
    }

    @Test func aRequestWithoutAnOriginIsNoPageAndMayConnect() {
        #expect(self.policy.allows(origin: nil, host: "127.0.0.1:8080", isEncrypted: false))
        #expect(!self.policy.allows(origin: "http://127.0.0.1:8080", host: nil, isEncrypted: false))
    }

    @Test func webOriginTakesOnlyAnOrigin() {
        #expect(OriginPolicy.isWellFormed("https://chat.example.org"))
        #expect(OriginPolicy.isWellFormed("http://10.0.0.5:8080"))
        #expect(!OriginPolicy.isWellFormed("chat.example.org"))
        #expect(!OriginPolicy.isWellFormed("https://chat.example.org/path"))
        #expect(!OriginPolicy.isWellFormed("ftp://chat.example.org"))
        #expect(!OriginPolicy.isWellFormed("https://"))
    }
}
