import ChatCore
import ChatStoreSQLite
import ChatTransportIRC
import ChatTransportSSH
import ChatTransportTCP
import ChatTransportTLS
import ChatTransportWeb
import Logging
import Prometheus

/// What the options mean to the library: each option becomes a field of a ``ServerConfiguration``, a
/// ``Persistence``, ``AccountLimits`` or ``StoreMaintenance``, or a listener.
extension ServerCommand {
    /// The listener and connection rules the options ask for.
    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration(host: self.host, port: self.port)
        configuration.dataDirectory = self.dataDir
        configuration.commandsDirectory = self.commandsDir
        configuration.maxClients = self.maxClients
        configuration.maxClientsPerAddress = self.maxClientsPerAddress
        configuration.connectRate = self.connectRate
        configuration.connectBurst = self.connectBurst
        configuration.maxHandshakes = self.maxTlsHandshakes
        configuration.limitLoopback = self.limitLoopback
        configuration.floodRate = self.floodRate
        configuration.floodBurst = self.floodBurst
        return configuration
    }

    /// What the hub keeps in `store`: room history (unless `--no-store-history`) and how much of it a join replays.
    func persistence(store: any ChatStorage) -> Persistence {
        Persistence(
            store: store,
            keepsRoomHistory: self.storeHistory,
            historyOnJoin: self.history
        )
    }

    /// How fast one address may register nicknames, with the fixed login and `/password` limits.
    var accountLimits: AccountLimits {
        AccountLimits(registrationsPerHour: self.registrationsPerHour)
    }

    /// The service that trims `store` to the retention options while the server runs.
    func storeMaintenance(store: any ChatStorage, logger: Logger) -> StoreMaintenance {
        StoreMaintenance(
            store: store,
            retainDays: self.retainDays,
            retainMessages: self.retainMessages,
            accountExpiryDays: self.accountExpiryDays,
            maximumMegabytes: self.maxStoreMb,
            logger: logger
        )
    }

    /// The plain listener on HOST PORT, then the TLS one when `--tls-port` is given, then the web door (HTTPS when
    /// there is a certificate), then the IRC door and IRC over TLS, then the SSH door.
    func listeners(
        configuration: ServerConfiguration,
        tlsCertificates: TLSCertificates?,
        sshHostKey: SSHHostKey?,
        metrics: PrometheusCollectorRegistry
    ) -> [any ChatListener] {
        var listeners: [any ChatListener] = [TCPListener(configuration)]
        if let tlsCertificates, let tlsPort = self.tlsPort {
            listeners.append(TLSListener(host: self.host, port: tlsPort, certificates: tlsCertificates))
        }
        if let webPort = self.webPort {
            listeners.append(
                WebListener(
                    host: self.host,
                    port: webPort,
                    certificates: tlsCertificates,
                    originPolicy: OriginPolicy(extraOrigins: self.webOrigin),
                    metrics: MetricsEndpoint(isPublic: self.metricsPublic) { metrics.emitToBuffer() }
                )
            )
        }
        if let ircPort = self.ircPort {
            listeners.append(IRCListener(host: self.host, port: ircPort, serverName: self.ircServerName))
        }
        if let tlsCertificates, let ircTlsPort = self.ircTlsPort {
            listeners.append(
                IRCListener(
                    host: self.host,
                    port: ircTlsPort,
                    certificates: tlsCertificates,
                    serverName: self.ircServerName
                )
            )
        }
        if let sshHostKey, let sshPort = self.sshPort {
            listeners.append(SSHListener(host: self.host, port: sshPort, hostKey: sshHostKey))
        }
        return listeners
    }
}
