import Testing

/// The suites whose tests derive scrypt keys, run one test at a time.
///
/// ``PasswordHasher`` runs scrypt on NIO's shared blocking pool, which has one thread per core and also runs every
/// query of the store. A debug-build derivation takes about half a second, so tests hashing in parallel would queue
/// each other's logins and history behind seconds of work, and the brute-force test would time the queue.
@Suite(.serialized) enum ScryptBoundTests {}
