import ArgumentParser
import ChatClusterPostgres
import ChatCore
import ChatStorePostgres
import ChatStoreSQLite
import ChatTransportSSH
import ChatTransportTCP
import ChatTransportTLS
import Foundation
import Logging
import StandardStreams

/// The steps before the server listens that can fail on this machine (the data directory, the store, the TLS
/// certificate): each failure is said once, plainly, and ends the process with status 1.
extension ServerCommand {
    /// Creates `--data-dir` if it is missing.
    func prepareDataDirectory(logger: Logger) throws {
        do {
            try DataDirectory.prepare(self.dataDir, logger: logger)
        } catch {
            throw Self.startupFailure("cannot create the data directory \(self.dataDir): \(error.localizedDescription)")
        }
    }

    /// `--postgres`, or else `SLASHCHAT_POSTGRES` from the environment, parsed (nil when neither is given: SQLite).
    var postgresConnection: PostgresConnectionString? {
        get throws {
            let text =
                self.postgres
                ?? ProcessInfo.processInfo.environment["SLASHCHAT_POSTGRES"].flatMap {
                    $0.isEmpty ? nil : $0
                }
            return try text.map { try PostgresConnectionString(parsing: $0) }
        }
    }

    /// `--node-name`, or the host name and the chat port.
    var node: String {
        if let nodeName = self.nodeName { return nodeName }
        var name = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&name, name.count - 1) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host):\(self.port)"
    }

    /// Opens the store (PostgreSQL with `--postgres`, else SQLite in `--data-dir`) and reads the address bans kept
    /// in it. With PostgreSQL, this process is a node of a cluster: the link to the others comes with it.
    func openStore(logger: Logger) async throws -> (any ChatStorage, [AddressBans.Ban], PostgresCluster?) {
        let store: any ChatStorage
        var cluster: PostgresCluster?
        do {
            if let connection = try self.postgresConnection {
                let postgres = try await PostgresChatStore.open(connection, logger: logger)
                store = postgres
                var options = PostgresCluster.Options()
                options.nodeTimeout = .seconds(self.nodeTimeout)
                options.heartbeatInterval = .milliseconds(self.nodeTimeout * 200)
                cluster = PostgresCluster(
                    nodeName: self.node,
                    store: postgres,
                    connectionString: connection,
                    options: options,
                    logger: logger
                )
                logger.notice("cluster node", metadata: ["node": "\(self.node)", "postgres": "\(connection.redacted)"])
            } else {
                store = try await SQLiteChatStore.open(directory: self.dataDir, logger: logger)
            }
        } catch {
            // A clear start-up error, never a silent loss: the server does not start without its store.
            throw Self.startupFailure("\(error)")
        }
        let bans: [AddressBans.Ban]
        do {
            bans = try await store.addressBans()
        } catch {
            throw Self.startupFailure("cannot read the address bans: \(error)")
        }
        return (store, bans, cluster)
    }

    /// The certificate when TLS is on (`--tls-port`, `--irc-tls-port`, or `--tls-cert` for the web door): the given
    /// files, or the
    /// generated one (made now on the first start). A bad file stops the start-up, naming it.
    func loadTLSCertificates(logger: Logger) throws -> TLSCertificates? {
        guard self.tlsPort != nil || self.ircTlsPort != nil || self.tlsCert != nil else { return nil }
        let source = TLSCertificateSource(
            certificateFile: self.tlsCert,
            keyFile: self.tlsKey,
            dataDirectory: self.dataDir,
            listenHost: self.host,
            extraNames: self.tlsName
        )
        do {
            let certificates = try TLSCertificates(source: source)
            for warning in certificates.warnings {
                logger.warning("\(warning)")
            }
            return certificates
        } catch {
            throw Self.startupFailure("TLS: \(error)")
        }
    }

    /// The SSH door's host key when `--ssh-port` is given: read from the data directory, or made there now on the
    /// first start. One that cannot be read or made stops the start-up, naming the file.
    func loadSSHHostKey() throws -> SSHHostKey? {
        guard self.sshPort != nil else { return nil }
        do {
            return try SSHHostKey.loadOrCreate(in: self.dataDir)
        } catch {
            throw Self.startupFailure("SSH: \(error)")
        }
    }

    /// Says why the server cannot start (on stderr, without the usage text a ValidationError would add) and exits 1.
    static func startupFailure(_ message: String) -> ExitCode {
        StandardStream.error.writeLine("server: error: \(message)")
        return ExitCode(1)
    }
}
