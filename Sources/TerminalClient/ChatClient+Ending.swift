extension ChatClient.Ending {
    /// The client's exit status for this ending (2, could not connect, is not an ending: the session never began).
    public var exitStatus: Int32 {
        switch self {
        case .quit: 0
        case .connectionLost: 1
        case .nicknameRefused, .passwordRefused, .passwordNotGiven: 3
        case .banned: 4
        case .replaced: 5
        case .tlsPort: 6
        }
    }

    /// Whether connecting again could end differently: only a lost connection. A ban, a wrong password or a
    /// session taken over elsewhere would only repeat.
    public var isWorthRetrying: Bool {
        self == .connectionLost
    }

    /// What the client says when it stops this way (nil after quitting).
    public func explanation(host: String, port: Int, nickname: String) -> String? {
        let address = ConnectionFailure.address(host: host, port: port)
        return switch self {
        case .quit: nil
        case .connectionLost: "the connection to \(address) was closed by the server"
        case .nicknameRefused: "\(address) refused the nickname \(nickname); choose another"
        case .passwordRefused: "wrong password for \(nickname) at \(address)"
        case .passwordNotGiven:
            "\(nickname) is registered at \(address): the first line of input must be its password"
        case .banned: "\(address) has banned \(nickname) or this address; not connecting again"
        case .replaced: "\(nickname) logged in to \(address) from elsewhere, which replaced this session"
        case .tlsPort: "\(address) speaks TLS: connect with --tls"
        }
    }
}
