import ArgumentParser
import ChatTransportWeb
import Logging

/// The checks argument-parser runs before ``ServerCommand/run()``: a bad value stops the start with the usage text.
extension ServerCommand {
    func validate() throws {
        guard (0...65535).contains(self.port) else { throw ValidationError("PORT must be between 0 and 65535.") }
        if let tlsPort = self.tlsPort {
            guard (0...65535).contains(tlsPort) else {
                throw ValidationError("--tls-port must be between 0 and 65535.")
            }
            guard tlsPort == 0 || tlsPort != self.port else {
                throw ValidationError("--tls-port must differ from PORT (\(self.port)).")
            }
        }
        guard (self.tlsCert == nil) == (self.tlsKey == nil) else {
            throw ValidationError(
                "--tls-cert and --tls-key go together: give both, or neither for a generated certificate."
            )
        }
        // Any door that speaks TLS turns it on: the chat's TLS port, the IRC door's, the web door with a certificate.
        let hasTLSDoor = self.tlsPort != nil || self.ircTlsPort != nil
        guard hasTLSDoor || self.tlsCert != nil || self.tlsName.isEmpty else {
            throw ValidationError("--tls-name needs --tls-port or --irc-tls-port (or --tls-cert with --web-port).")
        }
        guard hasTLSDoor || self.webPort != nil || self.tlsCert == nil else {
            throw ValidationError("--tls-cert and --tls-key need --tls-port, --irc-tls-port or --web-port.")
        }
        if let webPort = self.webPort {
            guard (0...65535).contains(webPort) else {
                throw ValidationError("--web-port must be between 0 and 65535.")
            }
            guard webPort == 0 || (webPort != self.port && webPort != self.tlsPort) else {
                throw ValidationError("--web-port must differ from PORT and --tls-port.")
            }
        }
        let ports = [self.port, self.tlsPort, self.webPort].compactMap { $0 }.filter { $0 != 0 }
        for (name, port) in [("--irc-port", self.ircPort), ("--irc-tls-port", self.ircTlsPort)] {
            guard let port else { continue }
            guard (0...65535).contains(port) else { throw ValidationError("\(name) must be between 0 and 65535.") }
            guard port == 0 || !ports.contains(port) else {
                throw ValidationError("\(name) must differ from PORT, --tls-port and --web-port.")
            }
        }
        if let sshPort = self.sshPort {
            guard (0...65535).contains(sshPort) else {
                throw ValidationError("--ssh-port must be between 0 and 65535.")
            }
            let others = ports + [self.ircPort, self.ircTlsPort].compactMap { $0 }.filter { $0 != 0 }
            guard sshPort == 0 || !others.contains(sshPort) else {
                throw ValidationError("--ssh-port must differ from PORT and the other doors' ports.")
            }
        }
        guard !self.ircServerName.isEmpty,
            self.ircServerName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
        else {
            throw ValidationError("--irc-server-name takes letters, digits, dots and dashes, like irc.example.org.")
        }
        if let ircPort = self.ircPort, let ircTlsPort = self.ircTlsPort, ircPort != 0, ircPort == ircTlsPort {
            throw ValidationError("--irc-port and --irc-tls-port must differ.")
        }
        for origin in self.webOrigin where !OriginPolicy.isWellFormed(origin) {
            throw ValidationError(
                "--web-origin takes an origin like https://chat.example.org (scheme, host, optional port); got \(origin)."
            )
        }
        guard self.webPort != nil || !self.metricsPublic else {
            throw ValidationError("--metrics-public needs --web-port, which serves /metrics.")
        }
        guard self.webPort != nil || self.webOrigin.isEmpty else {
            throw ValidationError("--web-origin needs --web-port.")
        }
        guard self.maxClients >= 1 else { throw ValidationError("--max-clients must be at least 1.") }
        guard self.maxClientsPerAddress >= 0 else {
            throw ValidationError("--max-clients-per-address must be 0 (no limit) or more.")
        }
        guard self.connectRate >= 0 else { throw ValidationError("--connect-rate must be 0 (no limit) or more.") }
        guard self.connectBurst >= 1 else { throw ValidationError("--connect-burst must be at least 1.") }
        guard self.maxTlsHandshakes >= 1 else { throw ValidationError("--max-tls-handshakes must be at least 1.") }
        guard self.floodRate >= 0 else { throw ValidationError("--flood-rate must be 0 (off) or more.") }
        guard self.floodBurst >= 1 else { throw ValidationError("--flood-burst must be at least 1.") }
        guard (0...1000).contains(self.history) else { throw ValidationError("--history must be between 0 and 1000.") }
        guard self.retainDays >= 0 else { throw ValidationError("--retain-days must be 0 (keep) or more.") }
        guard self.maxStoreMb >= 0 else { throw ValidationError("--max-store-mb must be 0 (no cap) or more.") }
        guard self.accountExpiryDays >= 0 else {
            throw ValidationError("--account-expiry-days must be 0 (keep) or more.")
        }
        guard self.registrationsPerHour >= 0 else {
            throw ValidationError("--registrations-per-hour must be 0 (no limit) or more.")
        }
        guard self.retainMessages >= 0 else { throw ValidationError("--retain-messages must be 0 (no limit) or more.") }
        do {
            _ = try self.postgresConnection
        } catch {
            throw ValidationError("\(error)")
        }
        if let nodeName = self.nodeName {
            guard !nodeName.isEmpty, nodeName.count <= 64,
                nodeName.allSatisfy({ $0.isLetter || $0.isNumber || "-_.:".contains($0) })
            else {
                throw ValidationError("--node-name takes 1 to 64 letters, digits and - _ . : (got \(nodeName)).")
            }
        }
        guard (2...3600).contains(self.nodeTimeout) else {
            throw ValidationError("--node-timeout must be between 2 and 3600 seconds.")
        }
        guard Logger.Level(rawValue: self.logLevel.lowercased()) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }
}
