import ChatProtocol
import TerminalClient
import Testing

/// The server's last words that retrying cannot change, recognised; everything else is a plain lost connection.
@Suite struct ServerFarewellTests {
    @Test(arguments: [
        ("This port speaks TLS: connect with `client HOST PORT NICKNAME --tls`.", ChatClient.Ending.tlsPort),
        ("Your address is banned from this server until 2026-12-05 10:00 UTC.", .banned),
        ("The nickname alice is banned from this server.", .banned),
        ("You have been disconnected: banned: spamming.", .banned),
        ("You have been disconnected: logged in from elsewhere.", .replaced),
        ("Wrong password 3 times; goodbye.", .passwordRefused),
    ])
    func recognisesWhatRetryingCannotFix(text: String, ending: ChatClient.Ending) {
        #expect(ServerFarewell.ending(for: .error(text)) == ending)
        #expect(!ending.isWorthRetrying)
        #expect(ending.exitStatus > 2)
    }

    @Test(arguments: [
        "You have been disconnected: kicked by the server: calm down.",
        "Wrong password.",
        "The server is full (100 clients); try again later.",
    ])
    func leavesEverythingElseAlone(text: String) {
        #expect(ServerFarewell.ending(for: .error(text)) == nil)
    }

    @Test func aNoticeIsNeverAFarewell() {
        #expect(ServerFarewell.ending(for: .notice("You have been disconnected: logged in from elsewhere.")) == nil)
    }
}
