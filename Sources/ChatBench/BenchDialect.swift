/// The protocol the bench speaks, so one tool measures slashchat and an IRC server the same way.
///
/// Either way every message carries the same token (``MessageToken``), found anywhere in a received line, so the
/// counting, the latency and the loss checks are the same code for both.
public enum BenchDialect: String, Sendable, CaseIterable {
    /// slashchat's plain mode: a nickname line, then text lines to the room (`#main`).
    case slashchat
    /// IRC (RFC 1459/2812): `NICK`/`USER` registration, `JOIN #bench` once `001` arrives, joined at `366` (end of
    /// names), `PRIVMSG #bench :text`; `PING` is answered with `PONG`.
    case irc
    /// slashchat's web door (`--web-port`): a WebSocket on `/ws`, as the web page opens it. The nickname is the first
    /// text message and every message after it one line of chat; events come back as JSON lines in text frames, the
    /// token inside the event's `"text"` string.
    case web

    /// The channel IRC clients join and talk in.
    public static let ircChannel = "#bench"

    /// What a client sends as soon as it is connected.
    func greeting(nickname: String) -> String {
        switch self {
        case .slashchat: "\(nickname)\n"
        case .irc: "NICK \(nickname)\r\nUSER \(nickname) 0 * :\(nickname)\r\n"
        case .web: nickname
        }
    }

    /// The bytes before a message's text.
    var messagePrefix: [UInt8] {
        switch self {
        case .slashchat, .web: []
        case .irc: Array("PRIVMSG \(Self.ircChannel) :".utf8)
        }
    }

    /// How a line the bench sends ends (on the web a message is a frame of its own, with nothing after it).
    var lineEnd: [UInt8] {
        switch self {
        case .slashchat: [UInt8(ascii: "\n")]
        case .irc: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        case .web: []
        }
    }

    /// The byte that ends a token inside a received line, when something follows it there: the web door's JSON puts
    /// the closing quote of `"text"` and more fields after it. Plain and IRC lines end with the token.
    var tokenEnd: UInt8? {
        switch self {
        case .slashchat, .irc: nil
        case .web: UInt8(ascii: "\"")
        }
    }
}
