import SwiftASN1
import X509

/// A CA-issued leaf must be meant for servers: when it restricts its use (extended key usage), TLS server
/// authentication must be among them, so a certificate issued to sign code or mail cannot pass for a chat server.
struct ServerAuthenticationPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let restriction: ExtendedKeyUsage?
        do {
            restriction = try chain.leaf.extensions.extendedKeyUsage
        } catch {
            return .failsToMeetPolicy(reason: "the leaf's extended key usage does not parse")
        }
        guard let usage = restriction else { return .meetsPolicy }
        if usage.contains(.serverAuth) || usage.contains(.any) { return .meetsPolicy }
        return .failsToMeetPolicy(reason: "the leaf is not meant for TLS servers")
    }
}
