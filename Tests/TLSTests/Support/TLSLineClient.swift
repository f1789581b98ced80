import ChatProtocol
import ChatTesting
import Crypto
import NIOCore
import NIOSSL

/// A ``LineClient`` over TLS that accepts any certificate and notes the one it was shown: what `openssl s_client`
/// does, plus the fingerprint for the test to compare.
struct TLSLineClient {
    let client: LineClient
    private let seen: LockedValue<CertificateFingerprint?>

    /// The fingerprint of the leaf certificate the server presented; nil before the handshake got that far.
    var fingerprint: CertificateFingerprint? { self.seen.value }

    /// Connects from `sourceAddress` (a loopback address such as `127.0.0.2`), or the system's choice when nil.
    static func connect(port: Int, name: String, from sourceAddress: String? = nil) async throws -> TLSLineClient {
        let seen = LockedValue<CertificateFingerprint?>(nil)
        let client = try await LineClient.connect(port: port, name: name, from: sourceAddress) { channel in
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            let context = try NIOSSLContext(configuration: configuration)
            let handler = try NIOSSLClientHandler(context: context, serverHostname: nil) { chain, promise in
                if let der = try? chain.first?.toDERBytes() {
                    seen.withLock { $0 = CertificateFingerprint(sha256Digest: SHA256.hash(data: der)) }
                }
                promise.succeed(.certificateVerified)
            }
            try channel.pipeline.syncOperations.addHandler(handler)
        }
        return TLSLineClient(client: client, seen: seen)
    }

    /// Connects and joins as `nickname`.
    static func join(port: Int, as nickname: String, from sourceAddress: String? = nil) async throws -> TLSLineClient {
        let client = try await Self.connect(port: port, name: nickname, from: sourceAddress)
        try await client.client.join(as: nickname)
        return client
    }
}
