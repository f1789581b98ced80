import ChatStorePostgres
import Testing

/// `--postgres URL` and `SLASHCHAT_POSTGRES`: libpq-style URLs, and a clear error for each way one can be wrong.
@Suite struct PostgresConnectionStringTests {
    @Test func readsEveryPart() throws {
        let parsed = try PostgresConnectionString(
            parsing: "postgres://chat:s3cret@db.example:6543/slashchat?sslmode=require"
        )
        #expect(parsed.username == "chat")
        #expect(parsed.password == "s3cret")
        #expect(parsed.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(parsed.database == "slashchat")
        #expect(parsed.sslMode == .require)
        #expect(parsed.unixSocketPath == nil)
    }

    @Test func defaultsThePortTheSSLModeAndTheDatabase() throws {
        let parsed = try PostgresConnectionString(parsing: "postgresql://chat@localhost")
        #expect(parsed.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(parsed.password == nil)
        #expect(parsed.database == nil)
        #expect(parsed.sslMode == .prefer)
        #expect(try PostgresConnectionString(parsing: "postgres://chat@localhost/").database == nil)
    }

    @Test func percentDecodesUserPasswordHostAndDatabase() throws {
        let parsed = try PostgresConnectionString(
            parsing: "postgres://ch%40t:p%3Ass%2Fw%25rd%20%C3%A9@h%6Fst:5432/my%20db?sslmode=verify-full"
        )
        #expect(parsed.username == "ch@t")
        #expect(parsed.password == "p:ss/w%rd é")
        #expect(parsed.endpoint == .tcp(host: "host", port: 5432))
        #expect(parsed.database == "my db")
        #expect(parsed.sslMode == .verifyFull)
        // A plus is a plus, and an @ in the password may go unescaped.
        let lenient = try PostgresConnectionString(parsing: "postgres://u:a+b@c@host/db")
        #expect(lenient.password == "a+b@c")
        #expect(lenient.endpoint == .tcp(host: "host", port: 5432))
    }

    @Test func readsIPv6Hosts() throws {
        #expect(
            try PostgresConnectionString(parsing: "postgres://u@[::1]:7000/db").endpoint
                == .tcp(host: "::1", port: 7000)
        )
        #expect(
            try PostgresConnectionString(parsing: "postgres://u@[fe80::1]/db").endpoint
                == .tcp(host: "fe80::1", port: 5432)
        )
    }

    @Test func namesAUnixSocketByItsDirectory() throws {
        let query = try PostgresConnectionString(parsing: "postgres://chat@/slashchat?host=/var/run/postgresql")
        #expect(query.endpoint == .unixSocket(directory: "/var/run/postgresql", port: 5432))
        #expect(query.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(query.database == "slashchat")
        let withPort = try PostgresConnectionString(parsing: "postgres://chat@:6000/db?host=%2Ftmp%2Fpg%20dir%2F")
        #expect(withPort.unixSocketPath == "/tmp/pg dir/.s.PGSQL.6000")
        let encodedHost = try PostgresConnectionString(parsing: "postgres://chat@%2Fsockets/db")
        #expect(encodedHost.endpoint == .unixSocket(directory: "/sockets", port: 5432))
        // ?host= wins over the host part, as in libpq.
        let both = try PostgresConnectionString(parsing: "postgres://chat@ignored/db?sslmode=disable&host=/s")
        #expect(both.endpoint == .unixSocket(directory: "/s", port: 5432))
        #expect(both.sslMode == .disable)
    }

    @Test func redactsThePassword() throws {
        let parsed = try PostgresConnectionString(parsing: "postgres://chat:s3cret@db:5432/slashchat?sslmode=disable")
        #expect(parsed.redacted == "postgres://chat:***@db:5432/slashchat?sslmode=disable")
        let socket = try PostgresConnectionString(parsing: "postgres://chat@/db?host=/run/pg")
        #expect(socket.redacted == "postgres://chat@:5432/db?host=/run/pg&sslmode=prefer")
    }

    @Test(
        arguments: [
            ("", PostgresConnectionString.ParseError.notAURL),
            ("db.example:5432", .notAURL),
            ("mysql://u@h/db", .unsupportedScheme("mysql")),
            ("postgres://h/db", .missingUsername),
            ("postgres://:pw@h/db", .missingUsername),
            ("postgres://u@/db", .missingHost),
            ("postgres://u@:5432/db", .missingHost),
            ("postgres://u@h:0/db", .badPort("0")),
            ("postgres://u@h:65536/db", .badPort("65536")),
            ("postgres://u@h:abc/db", .badPort("abc")),
            ("postgres://u@h:/db", .badPort("")),
            ("postgres://u%zz@h/db", .badPercentEncoding("user name")),
            ("postgres://u:%4@h/db", .badPercentEncoding("password")),
            ("postgres://u@h/d%00b", .badPercentEncoding("database")),
            ("postgres://u@h/d%C3b", .badPercentEncoding("database")),
            ("postgres://u@h/db?sslmode=on", .badSSLMode("on")),
            ("postgres://u@h/db?sslmode=disable&sslmode=require", .duplicateParameter("sslmode")),
            ("postgres://u@h/db?application_name=x", .unknownParameter("application_name")),
            ("postgres://u@h/db?sslmode", .badParameter("sslmode")),
        ]
    )
    func refusesBadInputClearly(_ text: String, _ expected: PostgresConnectionString.ParseError) {
        #expect(throws: expected) { try PostgresConnectionString(parsing: text) }
    }

    @Test func errorsReadAsSentencesWithoutThePassword() {
        #expect(
            PostgresConnectionString.ParseError.badSSLMode("on").description
                == "sslmode=on is not one of disable, prefer, require, verify-ca, verify-full"
        )
        do {
            _ = try PostgresConnectionString(parsing: "postgres://u:topsecret@h:99999/db")
            Issue.record("a bad port was accepted")
        } catch {
            #expect(error.description.contains("99999"))
            #expect(!error.description.contains("topsecret"))
        }
    }
}
