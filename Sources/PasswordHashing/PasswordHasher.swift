import Crypto
import CryptoExtras
import Foundation

/// Salted scrypt password hashes, computed off the event loops, compared in constant time.
///
/// Parameters: N = 2^14 rounds, r = 8, p = 1 (16 MiB of memory and tens of milliseconds per guess), a 16-byte random
/// salt and a 32-byte key. The stored form `scrypt$N$r$p$SALT$KEY` (base64) carries its parameters, so they can be
/// raised later without breaking old accounts.
///
/// The work is bounded: at most ``maximumQueued`` login checks and ``maximumQueuedChanges`` registrations or password
/// changes wait for the one scrypt thread, each in its own line of a ``HashQueue`` (more is ``QueueError/busy``,
/// said to the user as "try again", never a wait), and a hash whose requester has gone (`abandonIf`) is skipped
/// when its turn comes, so a burst of connections that ask and leave cannot freeze logins or shutdown.
public enum PasswordHasher {
    /// Why a hash was not computed.
    public enum QueueError: Error, Equatable {
        /// ``maximumQueued`` hashes are already waiting.
        case busy
        /// The requester left before its turn.
        case abandoned
    }

    /// What a hash is for, which decides the line it waits in.
    public enum Purpose: Sendable, Hashable {
        /// Checking the password of a login.
        case login
        /// `/register`'s new hash, and both hashes of `/password` (the old password is checked as a change, so
        /// changes never take a login's place).
        case change
    }

    /// Login checks that may wait for the scrypt thread at once, server-wide: about a second and a half of work.
    public static let maximumQueued = 32
    /// Registrations and password changes that may wait at once, in a line of their own.
    public static let maximumQueuedChanges = 16

    private static let queue = HashQueue(places: [.login: Self.maximumQueued, .change: Self.maximumQueuedChanges])

    public static let rounds = 1 << 14
    /// The rounds of new hashes: ``rounds``, unless a task lowers them with `$newHashRounds.withValue(_:operation:)`.
    /// Only tests do, where the cost is not the point: a debug-build hash at full cost holds a core for half a second,
    /// and hundreds of them starve the rest of a parallel test run. Checks use the rounds stored in the hash.
    @TaskLocal public static var newHashRounds = PasswordHasher.rounds
    public static let blockSize = 8
    public static let parallelism = 1
    static let keyLength = 32
    static let saltLength = 16

    /// Passwords shorter than this are refused.
    public static let minimumLength = 6
    /// Passwords longer than this are refused (nobody types more; it bounds the work).
    public static let maximumLength = 128

    /// A new hash for `password`, with a fresh salt, at ``newHashRounds`` unless `rounds` says otherwise (tests that
    /// need many accounts whose logins cost next to nothing; the stored form carries it, so such hashes check as they
    /// were made).
    public static func hash(
        _ password: String,
        rounds: Int = Self.newHashRounds,
        for purpose: Purpose = .change,
        abandonIf gone: @escaping @Sendable () -> Bool = { false }
    ) async throws -> String {
        var salt = [UInt8](repeating: 0, count: Self.saltLength)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let key = try await Self.derive(
            password,
            salt: salt,
            rounds: rounds,
            blockSize: Self.blockSize,
            parallelism: Self.parallelism,
            for: purpose,
            abandonIf: gone
        )
        return [
            "scrypt", String(rounds), String(Self.blockSize), String(Self.parallelism),
            Data(salt).base64EncodedString(), Data(key).base64EncodedString(),
        ].joined(separator: "$")
    }

    /// Whether `password` matches `stored`; false for anything malformed. Throws ``QueueError`` when it could not be
    /// checked.
    public static func check(
        _ password: String,
        against stored: String,
        for purpose: Purpose = .login,
        abandonIf gone: @escaping @Sendable () -> Bool
    ) async throws(QueueError) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let rounds = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), let salt = Data(base64Encoded: parts[4]),
            let expected = Data(base64Encoded: parts[5]),
            (2...(1 << 20)).contains(rounds), (1...32).contains(blockSize), (1...16).contains(parallelism)
        else { return false }
        let key: [UInt8]
        do {
            key = try await Self.derive(
                password,
                salt: Array(salt),
                rounds: rounds,
                blockSize: blockSize,
                parallelism: parallelism,
                for: purpose,
                abandonIf: gone
            )
        } catch let error as QueueError {
            throw error
        } catch {
            return false
        }
        // SymmetricKey's == is constant-time.
        return SymmetricKey(data: key) == SymmetricKey(data: expected)
    }

    /// Whether `password` matches `stored`; false for anything malformed, and when the queue is full.
    public static func verify(_ password: String, against stored: String) async -> Bool {
        (try? await Self.check(password, against: stored, abandonIf: { false })) ?? false
    }

    /// Scrypt on its own thread: it is CPU- and memory-hard on purpose, so it must not run on an event loop
    /// or hog the concurrency pool.
    private static func derive(
        _ password: String,
        salt: [UInt8],
        rounds: Int,
        blockSize: Int,
        parallelism: Int,
        for purpose: Purpose,
        abandonIf gone: @escaping @Sendable () -> Bool
    ) async throws -> [UInt8] {
        try await Self.queue.run(purpose, abandonIf: gone) {
            let key = try KDF.Scrypt.deriveKey(
                from: Array(password.utf8),
                salt: salt,
                outputByteCount: Self.keyLength,
                rounds: rounds,
                blockSize: blockSize,
                parallelism: parallelism
            )
            return key.withUnsafeBytes { Array($0) }
        }
    }
}
