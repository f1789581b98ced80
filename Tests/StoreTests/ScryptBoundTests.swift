import PasswordHashing
import Testing

/// The suites whose tests derive scrypt keys, run one test at a time.
///
/// ``PasswordHasher`` runs scrypt on a thread of its own, and a debug-build hash at the production cost takes about
/// half a second, so tests hashing in parallel would queue each other's logins behind seconds of work, and the
/// brute-force tests would time the queue. Servers under test hash at ``PasswordHasher/testRounds`` (see
/// `TestServer.withServer`); ``PasswordHasherTests`` and the burst of guessers in ``AccountTests`` hash outside a
/// server, at the production cost, because there the cost is the point.
@Suite(.serialized) enum ScryptBoundTests {}
