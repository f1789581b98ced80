import TerminalClient
import Testing

/// `--server HOST:PORT`, read strictly: what is an address and what is not, and why not.
@Suite struct ServerAddressTests {
    @Test(arguments: [
        ("chat.example.org:7000", "chat.example.org", 7000),
        ("10.0.0.2:7000", "10.0.0.2", 7000),
        ("localhost:1", "localhost", 1),
        ("node_2.internal:65535", "node_2.internal", 65535),
        ("[::1]:7000", "::1", 7000),
        ("[fe80::1:2]:4242", "fe80::1:2", 4242),
        ("[::ffff:10.0.0.2]:4242", "::ffff:10.0.0.2", 4242),
    ])
    func readsAHostAndAPort(_ text: String, _ host: String, _ port: Int) throws {
        #expect(try ServerAddress(parsing: text) == ServerAddress(host: host, port: port))
    }

    @Test(arguments: [
        ("chat.example.org", ServerAddress.ParsingError.noPort),
        ("chat.example.org:", .noPort),
        ("[::1]", .noPort),
        ("[::1]7000", .noPort),
        ("[::1]:", .noPort),
        ("[::1:7000", .unclosedBracket),
        (":7000", .noHost),
        ("[]:7000", .noHost),
        ("::1:7000", .unbracketedIPv6),
        ("fe80::1", .unbracketedIPv6),
        ("[10.0.0.2]:7000", .notIPv6InBrackets),
        ("[chat.example.org]:7000", .notIPv6InBrackets),
        ("chat example:7000", .invalidHost),
        ("-chat:7000", .invalidHost),
        (".chat:7000", .invalidHost),
        ("chät.example.org:7000", .invalidHost),
        ("chat\u{1B}[2J:7000", .invalidHost),
        ("chat.example.org:0", .portOutOfRange),
        ("chat.example.org:65536", .portOutOfRange),
        ("chat.example.org:99999999999999999999999", .portOutOfRange),
        ("chat.example.org:70a", .invalidPort),
        ("chat.example.org:+7000", .invalidPort),
        ("chat.example.org:-1", .invalidPort),
        ("chat.example.org: 7000", .invalidPort),
        ("[::1]:http", .invalidPort),
    ])
    func refusesWhatIsNotHostColonPort(_ text: String, _ reason: ServerAddress.ParsingError) {
        #expect(throws: reason) { try ServerAddress(parsing: text) }
    }

    @Test func aHostNameLongerThanDNSAllowsIsRefused() {
        let label = String(repeating: "a", count: 63)
        let longest = [label, label, label, String(repeating: "a", count: 61)].joined(separator: ".")
        #expect(longest.count == 253)
        #expect((try? ServerAddress(parsing: longest + ":7000"))?.host == longest)
        #expect(throws: ServerAddress.ParsingError.invalidHost) { try ServerAddress(parsing: "a" + longest + ":7000") }
    }

    @Test func isNamedAsItIsWrittenWithIPv6InBrackets() throws {
        #expect("\(try ServerAddress(parsing: "[::1]:7000"))" == "[::1]:7000")
        #expect("\(try ServerAddress(parsing: "chat.example.org:7000"))" == "chat.example.org:7000")
        #expect("\(ServerAddress(host: "evil\u{1B}]0;x\u{07}host", port: 1))" == "evilhost:1")
    }

    @Test func eachReasonReadsAsTheEndOfASentence() {
        #expect("\(ServerAddress.ParsingError.noPort)" == "has no port")
        #expect(
            "\(ServerAddress.ParsingError.unbracketedIPv6)" == "needs its IPv6 address in brackets, like [::1]:7000"
        )
        #expect("\(ServerAddress.ParsingError.portOutOfRange)" == "has a port outside 1-65535")
    }
}
