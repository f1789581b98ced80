import ChatCore
import ChatProtocol
import NIOSSL
import Synchronization

/// The TLS listener's current certificate and the NIOSSL context built from it. ``reload()`` (SIGHUP, the
/// console's `reload`) reads the source again and swaps the context for new connections, so a renewed certificate
/// needs no restart; connections already open keep the session they negotiated.
public final class TLSCertificates: Reloadable {
    private struct Loaded {
        let identity: TLSIdentity
        let context: NIOSSLContext
    }

    public let source: TLSCertificateSource
    /// What the first load found worth saying (a generated certificate that lacks a name asked for).
    public let warnings: [String]
    private let loaded: Mutex<Loaded>
    /// Held through a whole reload, so two at once (certbot's hook and logrotate's SIGHUP) cannot install the
    /// older read last.
    private let reloading = Mutex(())

    /// Loads the pair now, so a bad file stops the start-up with a message naming it.
    public init(source: TLSCertificateSource) throws(TLSSetupError) {
        self.source = source
        let (identity, warnings) = try source.load()
        self.loaded = Mutex(Loaded(identity: identity, context: try identity.makeContext()))
        self.warnings = warnings
    }

    /// The fingerprint of the certificate new connections get.
    public var fingerprint: CertificateFingerprint { self.loaded.withLock { $0.identity.fingerprint } }

    /// The context for a connection accepted now.
    var context: NIOSSLContext { self.loaded.withLock { $0.context } }

    /// The line the server prints at start-up, after the listening lines.
    public var announcement: String { "slashchat tls certificate sha256 \(self.fingerprint)" }

    public func reload() async -> ReloadOutcome {
        self.reloading.withLock { _ in
            let next: Loaded
            do {
                let (identity, _) = try self.source.load()
                next = Loaded(identity: identity, context: try identity.makeContext())
            } catch {
                return ReloadOutcome(message: "tls certificate: kept the old one: \(error)", succeeded: false)
            }
            let previous = self.loaded.withLock { loaded in
                defer { loaded = next }
                return loaded.identity.fingerprint
            }
            let change = previous == next.identity.fingerprint ? "unchanged" : "was \(previous)"
            let identity = next.identity
            let message = "tls certificate: reloaded \(identity.certificateFile), sha256 \(identity.fingerprint)"
            return ReloadOutcome(message: message + " (\(change))", succeeded: true)
        }
    }
}
