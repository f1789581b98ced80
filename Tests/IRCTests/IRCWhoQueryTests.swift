import ChatTransportIRC
import Testing

/// WHO's masks and WHOX field lists, pure.
@Suite struct IRCWhoQueryTests {
    @Test(arguments: [
        ("*", "anyone", true), ("coolni*", "coolNick", true), ("COOL?ICK", "coolnick", true),
        ("coolNick", "coolNick", true), ("*ick", "coolNick", true), ("c*l*k", "coolNick", true),
        ("eva*", "shivaram", false), ("cool?", "cool", false), ("a*b", "aXbY", false), ("", "a", false),
        ("", "", true), ("**", "", true),
    ])
    func masksMatchWholeNamesWithoutCase(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(IRCMask.matches(pattern, text) == expected)
    }

    @Test func onlyWildcardsMakeAMask() {
        #expect(IRCMask.isMask("coolni*") && IRCMask.isMask("a?c"))
        #expect(!IRCMask.isMask("coolNick") && !IRCMask.isMask("#chan"))
    }

    @Test func fieldsComeInWHOXOrderWithTheirToken() throws {
        let reversed = try #require(IRCWhoQuery("%roaldfnshiuct,123"))
        #expect(String(reversed.fields) == "tcuihsnfdlaor")
        #expect(reversed.values { String($0) } == ["123", "c", "u", "i", "h", "s", "n", "f", "d", "l", "a", "o", "r"])
        let noToken = try #require(IRCWhoQuery("%tn"))
        #expect(noToken.values { _ in "x" } == ["0", "x"])
        #expect(IRCWhoQuery("%n,abcd")?.token == "0")
        #expect(IRCWhoQuery("%zn")?.fields == ["n"])
        #expect(IRCWhoQuery("o") == nil)
    }
}
