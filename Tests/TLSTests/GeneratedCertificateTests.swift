import ChatTesting
import ChatTransportTLS
import Foundation
import Testing
import X509

/// The zero set-up certificate: made once, kept, reused, and private.
@Suite struct GeneratedCertificateTests {
    private let names = GeneratedCertificate.Names(
        listenHost: "192.0.2.10",
        hostName: "chatbox",
        extraNames: ["chat.example.org", "2001:db8::7"]
    )

    @Test func theNamesCoverLocalhostTheHostTheListenAddressAndTheExtras() {
        #expect(self.names.dnsNames == ["localhost", "chatbox", "chat.example.org"])
        #expect(self.names.ipAddresses == ["127.0.0.1", "::1", "192.0.2.10", "2001:db8::7"])
        let wildcard = GeneratedCertificate.Names(listenHost: "0.0.0.0", hostName: "chatbox", extraNames: [])
        #expect(wildcard.ipAddresses == ["127.0.0.1", "::1"], "0.0.0.0 is nobody's address")
    }

    @Test func itIsCreatedOnceAndReusedWithTheSameFingerprint() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (first, firstMissing) = try GeneratedCertificate.loadOrCreate(in: directory.path, names: self.names)
            #expect(firstMissing.isEmpty)
            let (second, _) = try GeneratedCertificate.loadOrCreate(in: directory.path, names: self.names)
            #expect(first.fingerprint == second.fingerprint)

            let alternatives = try #require(try first.leaf.extensions.subjectAlternativeNames)
            let dnsNames = alternatives.compactMap { name -> String? in
                if case .dnsName(let dns) = name { return dns }
                return nil
            }
            #expect(dnsNames == ["localhost", "chatbox", "chat.example.org"])
            #expect(first.leaf.publicKey.description.contains("P256"), "\(first.leaf.publicKey)")
            #expect(first.leaf.notValidAfter > Date().addingTimeInterval(365 * 24 * 3600))
        }
    }

    @Test func theKeyIsReadableByItsOwnerOnly() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            _ = try GeneratedCertificate.loadOrCreate(in: directory.path, names: self.names)
            let folder = directory.file(GeneratedCertificate.folderName)
            let key = folder + "/" + GeneratedCertificate.keyFileName
            let attributes = try FileManager.default.attributesOfItem(atPath: key)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let folderAttributes = try FileManager.default.attributesOfItem(atPath: folder)
            #expect((folderAttributes[.posixPermissions] as? Int) == 0o700)
            #expect(!FileManager.default.fileExists(atPath: key + ".partial"))
        }
    }

    @Test func aLaterStartWithANewNameKeepsTheCertificateAndSaysWhatItLacks() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (first, _) = try GeneratedCertificate.loadOrCreate(in: directory.path, names: self.names)
            var more = self.names
            more.dnsNames.append("new.example.org")
            let (again, missing) = try GeneratedCertificate.loadOrCreate(in: directory.path, names: more)
            #expect(again.fingerprint == first.fingerprint)
            #expect(missing == ["new.example.org"])
        }
    }

    @Test func aCertificateWithoutItsKeyIsAnErrorNotASilentNewCertificate() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            _ = try GeneratedCertificate.loadOrCreate(in: directory.path, names: self.names)
            let folder = directory.file(GeneratedCertificate.folderName)
            try FileManager.default.removeItem(atPath: folder + "/" + GeneratedCertificate.keyFileName)
            #expect(throws: TLSSetupError.self) {
                try GeneratedCertificate.loadOrCreate(in: directory.path, names: self.names)
            }
            // A key without its certificate is an interrupted first start: a new pair is made.
            try FileManager.default.removeItem(atPath: folder + "/" + GeneratedCertificate.certificateFileName)
            try Data("stale".utf8).write(to: URL(fileURLWithPath: folder + "/" + GeneratedCertificate.keyFileName))
            let (made, _) = try GeneratedCertificate.loadOrCreate(in: directory.path, names: self.names)
            #expect(made.leaf.subject.description.contains("slashchat"))
        }
    }
}
