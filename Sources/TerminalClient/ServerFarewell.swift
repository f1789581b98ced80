import ChatProtocol

/// Recognises the server's last words before it closes a connection for a reason that retrying cannot fix, so
/// the client stops with a clear message and its own exit status instead of reconnecting forever.
///
/// The texts are the server's documented `! ` lines (README); the plain `This port speaks TLS` line comes before
/// the structured mode starts.
public enum ServerFarewell {
    /// The ending `event` announces, or nil for any other event.
    public static func ending(for event: ChatEvent) -> ChatClient.Ending? {
        guard event.kind == .error else { return nil }
        let text = event.text
        if text.hasPrefix("This port speaks TLS") { return .tlsPort }
        if text.hasPrefix("Your address is banned") || text.contains("is banned from this server")
            || text.hasPrefix("You have been disconnected: banned")
        {
            return .banned
        }
        if text.hasPrefix("You have been disconnected: logged in from elsewhere") { return .replaced }
        if text.hasPrefix("Wrong password"), text.hasSuffix("goodbye.") { return .passwordRefused }
        return nil
    }
}
