import ChatProtocol
import ChatTransportIRC
import Foundation
import Testing

/// The dialogue before registration: CAP, PASS, NICK, USER and SASL PLAIN in the orders clients use.
struct IRCRegistrationTests {
    private static let offered = ["message-tags", "sasl", "server-time"]

    private func message(_ line: String) throws -> IRCMessage {
        try IRCMessage(parsing: line)
    }

    private func lines(_ step: IRCRegistration.Step) -> [String] {
        switch step {
        case .reply(let replies), .quit(let replies): replies.map(\.line)
        case .register(_, let replies): replies.map(\.line)
        case .verifySASL: []
        }
    }

    @Test func nickThenUserRegisters() throws {
        var registration = IRCRegistration(offered: Self.offered)
        #expect(registration.receive(try self.message("NICK alice")) == .reply([]))
        guard case .register(let request, _) = registration.receive(try self.message("USER al 0 * :Alice L")) else {
            Issue.record("not registered")
            return
        }
        #expect(request.nickname.name == "alice" && request.username == "al" && request.realName == "Alice L")
        #expect(request.capabilities.isEmpty && request.password == nil && request.sasl == nil)
    }

    @Test func capabilityNegotiationHoldsRegistrationUntilEnd() throws {
        var registration = IRCRegistration(offered: Self.offered)
        #expect(
            self.lines(registration.receive(try self.message("CAP LS 302")))
                == [":slashchat CAP * LS :message-tags sasl server-time"]
        )
        _ = registration.receive(try self.message("NICK alice"))
        #expect(registration.receive(try self.message("USER al 0 * :A")) == .reply([]))
        #expect(
            self.lines(registration.receive(try self.message("CAP REQ :server-time message-tags")))
                == [":slashchat CAP alice ACK :server-time message-tags"]
        )
        #expect(
            self.lines(registration.receive(try self.message("CAP REQ :server-time foo")))
                == [":slashchat CAP alice NAK :server-time foo"]
        )
        #expect(
            self.lines(registration.receive(try self.message("CAP LIST")))
                == [":slashchat CAP alice LIST :message-tags server-time"]
        )
        guard case .register(let request, _) = registration.receive(try self.message("CAP END")) else {
            Issue.record("not registered at CAP END")
            return
        }
        #expect(request.capabilities == ["server-time", "message-tags"])
    }

    @Test func saslPlainAsksTheDoorToCheckTheCredentials() throws {
        var registration = IRCRegistration(offered: Self.offered)
        _ = registration.receive(try self.message("CAP LS 302"))
        _ = registration.receive(try self.message("CAP REQ sasl"))
        _ = registration.receive(try self.message("NICK alice"))
        _ = registration.receive(try self.message("USER al 0 * :A"))
        #expect(self.lines(registration.receive(try self.message("AUTHENTICATE PLAIN"))) == ["AUTHENTICATE +"])
        let encoded = Data("\0alice\0secret words".utf8).base64EncodedString()
        let credentials = IRCRegistration.Credentials(account: "alice", password: "secret words")
        #expect(registration.receive(try self.message("AUTHENTICATE \(encoded)")) == .verifySASL(credentials))
        #expect(
            self.lines(registration.saslVerified(credentials, accepted: true)) == [
                ":slashchat 900 alice alice!alice@slashchat alice :You are now logged in as alice",
                ":slashchat 903 alice :SASL authentication successful",
            ]
        )
        guard case .register(let request, _) = registration.receive(try self.message("CAP END")) else {
            Issue.record("not registered")
            return
        }
        #expect(request.sasl == credentials)
    }

    @Test func aWrongSASLAnswerOrMechanismIsRefused() throws {
        var registration = IRCRegistration(offered: Self.offered)
        _ = registration.receive(try self.message("CAP REQ sasl"))
        #expect(
            self.lines(registration.receive(try self.message("AUTHENTICATE EXTERNAL")))
                == [":slashchat 908 * PLAIN :are available SASL mechanisms"]
        )
        _ = registration.receive(try self.message("AUTHENTICATE PLAIN"))
        #expect(
            self.lines(registration.receive(try self.message("AUTHENTICATE bm90IGJhc2U2NA")))
                == [":slashchat 904 * :SASL authentication failed"]
        )
        let credentials = IRCRegistration.Credentials(account: "alice", password: "nope")
        #expect(
            self.lines(registration.saslVerified(credentials, accepted: false))
                == [":slashchat 904 * :SASL authentication failed"]
        )
    }

    @Test func badNicknamesAndMissingParametersGetTheirNumerics() throws {
        var registration = IRCRegistration(offered: Self.offered)
        let invalid = self.lines(registration.receive(try self.message("NICK bad!name")))
        #expect(invalid.count == 1 && invalid[0].hasPrefix(":slashchat 432 * bad!name :Erroneous nickname"))
        #expect(self.lines(registration.receive(try self.message("NICK"))) == [":slashchat 431 * :No nickname given"])
        #expect(
            self.lines(registration.receive(try self.message("USER al 0")))
                == [":slashchat 461 * USER :Not enough parameters"]
        )
        #expect(
            self.lines(registration.receive(try self.message("PRIVMSG #main :hi")))
                == [":slashchat 451 * :You have not registered"]
        )
        #expect(
            self.lines(registration.receive(try self.message("PING :abc")))
                == [":slashchat PONG slashchat abc"]
        )
    }
}
