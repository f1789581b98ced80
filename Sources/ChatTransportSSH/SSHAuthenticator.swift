import ChatCore
import ChatProtocol
import Logging
import NIOCore
import NIOSSH

/// Decides who may log in over SSH, and as whom: the SSH user name is the nickname. A nickname nobody registered
/// takes any public key, or any password (an empty one too: someone without a key presses Enter), since nothing
/// is at stake; a registered one takes its own password, checked with the brute-force slowdown every door's
/// logins share, or a public key bound to it (`/keys`). A name that is not a nickname, or one in use, gets in like a
/// free one and is asked for a nickname once in, as on TCP.
///
/// NIOSSH checks a key's signature before asking here, so a key offered here is one the client holds. `none` is
/// always refused, so OpenSSH goes on to offer its keys and the session learns one (`/register` binds it).
final class SSHAuthenticator: NIOSSHServerUserAuthenticationDelegate, Sendable {
    private let environment: SessionEnvironment
    private let peer: PeerAddress
    private let login: SSHLogin
    /// True once the connection has gone: a password check waiting for its turn is dropped.
    private let isGone: @Sendable () -> Bool

    init(environment: SessionEnvironment, peer: PeerAddress, login: SSHLogin, isGone: @escaping @Sendable () -> Bool) {
        self.environment = environment
        self.peer = peer
        self.login = login
        self.isGone = isGone
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { [.publicKey, .password] }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest,
        responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        responsePromise.completeWithTask {
            await self.decide(request)
        }
    }

    private func decide(_ request: NIOSSHUserAuthenticationRequest) async -> NIOSSHUserAuthenticationOutcome {
        let name = request.username
        let account: Account?
        do {
            account = try await self.account(named: name)
        } catch {
            self.environment.logger.warning("ssh login: cannot read accounts", metadata: ["error": "\(error)"])
            return .failure
        }
        switch request.request {
        case .publicKey(let offer):
            guard let key = SSHKeyFingerprint.accountKey(offer.publicKey) else { return .failure }
            self.login.proved(key)
            guard let account else {
                return self.succeed(KnownUser(name: name, ownsAccount: false, key: key))
            }
            let bound = (try? await self.environment.hub.persistence?.store.keys(of: account.nickname)) ?? []
            guard bound.contains(where: { $0.publicKey == key.publicKey }) else { return .failure }
            return self.succeed(KnownUser(name: name, ownsAccount: true, key: key))
        case .password(let offer):
            guard let account else {
                return self.succeed(KnownUser(name: name, ownsAccount: false, key: self.login.provenKey))
            }
            switch await self.environment.hub.accountLimits.login.check(
                offer.password,
                against: account.passwordHash,
                nickname: account.nickname,
                address: self.peer.key,
                isGone: self.isGone
            ) {
            case .right:
                return self.succeed(KnownUser(name: name, ownsAccount: true, key: self.login.provenKey))
            case .wrong:
                self.environment.logger.notice(
                    "wrong password",
                    metadata: ["nickname": "\(account.nickname)", "peer": "\(self.peer.key)", "door": "ssh"]
                )
                return .failure
            case .tryAgain, .gone:
                return .failure
            }
        case .none, .hostBased:
            return .failure
        }
    }

    /// The account registered for `name`; nil when the server keeps no accounts, `name` is not a nickname, or it
    /// is not registered.
    private func account(named name: String) async throws -> Account? {
        guard let store = self.environment.hub.persistence?.store,
            let nickname = try? Nickname(validating: name)
        else { return nil }
        return try await store.account(for: nickname.name)
    }

    private func succeed(_ user: KnownUser) -> NIOSSHUserAuthenticationOutcome {
        self.login.succeeded(as: user)
        return .success
    }
}
