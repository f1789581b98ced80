import NIOHTTP1

/// Which pages may open the chat's WebSocket: the defence against cross-site WebSocket hijacking, where a page on
/// another site opens a socket to this server from a visitor's browser.
///
/// Browsers always send `Origin` on a WebSocket upgrade, and a page cannot forge it. So an upgrade is accepted when
/// its origin is the page's own (the scheme of this listener and the `Host` the browser asked for), or one listed
/// with `--web-origin` (a reverse proxy's public name, say). A request without `Origin` does not come from a web page
/// (a script, `websocat`), so no visitor's browser is being borrowed: it is accepted too.
public struct OriginPolicy: Sendable, Equatable {
    /// The origins `--web-origin` allows besides the page's own, normalised (lower case, no trailing slash).
    public let extraOrigins: Set<String>

    public init(extraOrigins: [String] = []) {
        self.extraOrigins = Set(extraOrigins.map(Self.normalised))
    }

    /// Whether a request with these headers may upgrade.
    /// - Parameter isEncrypted: the listener serves HTTPS (so the page's own origin is `https://HOST`).
    public func allows(origin: String?, host: String?, isEncrypted: Bool) -> Bool {
        guard let origin else { return true }
        let asked = Self.normalised(origin)
        if self.extraOrigins.contains(asked) { return true }
        guard let host, !host.isEmpty else { return false }
        let own = (isEncrypted ? "https://" : "http://") + host.lowercased()
        return asked == own || asked == Self.withoutDefaultPort(own, isEncrypted: isEncrypted)
            || Self.withoutDefaultPort(asked, isEncrypted: isEncrypted) == own
    }

    /// The policy's decision for a request head.
    func allows(_ head: HTTPRequestHead, isEncrypted: Bool) -> Bool {
        let origins = head.headers["Origin"]
        // Two Origin headers are not something a browser sends: refuse rather than pick one.
        guard origins.count <= 1 else { return false }
        return self.allows(origin: origins.first, host: head.headers["Host"].first, isEncrypted: isEncrypted)
    }

    /// Whether `origin` is a well-formed `http(s)://HOST[:PORT]`, as `--web-origin` needs it.
    public static func isWellFormed(_ origin: String) -> Bool {
        let lowered = Self.normalised(origin)
        guard
            let rest = ["http://", "https://"].lazy.compactMap({
                lowered.hasPrefix($0) ? lowered.dropFirst($0.count) : nil
            }).first
        else { return false }
        return !rest.isEmpty && !rest.contains("/") && !rest.contains(" ")
    }

    private static func normalised(_ origin: String) -> String {
        var lowered = origin.lowercased()
        while lowered.hasSuffix("/") { lowered.removeLast() }
        return lowered
    }

    /// `http://host:80` is `http://host`, as browsers write it.
    private static func withoutDefaultPort(_ origin: String, isEncrypted: Bool) -> String {
        let port = isEncrypted ? ":443" : ":80"
        return origin.hasSuffix(port) ? String(origin.dropLast(port.count)) : origin
    }
}
