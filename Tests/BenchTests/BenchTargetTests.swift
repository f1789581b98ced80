import ChatBench
import Testing

/// How a benchmark spreads its clients over the nodes of a cluster (`--port` and each `--also-port`), and which
/// processes its server figures add up.
@Suite struct BenchTargetTests {
    private let cluster = BenchTarget(port: 7000, alsoPorts: [7001])

    @Test func oneServerGetsEveryClient() {
        let target = BenchTarget(port: 7000)
        #expect(target.ports == [7000])
        #expect((0..<5).map { target.port(forClient: $0) } == [7000, 7000, 7000, 7000, 7000])
        #expect(target.clientsPerPort(100) == [100])
    }

    @Test func clientsGoRoundRobinOverThePortsInTheOrderGiven() {
        #expect(self.cluster.ports == [7000, 7001])
        #expect((0..<5).map { self.cluster.port(forClient: $0) } == [7000, 7001, 7000, 7001, 7000])
        let three = BenchTarget(port: 7000, alsoPorts: [7002, 7001])
        #expect((0..<6).map { three.port(forClient: $0) } == [7000, 7002, 7001, 7000, 7002, 7001])
    }

    /// A fan-out's senders are its first clients, so they are spread over the nodes like everyone else.
    @Test func theFirstClientsTheSendersAreSplitOverEveryNode() {
        let senders = (0..<10).map { self.cluster.port(forClient: $0) }
        #expect(senders.filter { $0 == 7000 }.count == 5)
        #expect(senders.filter { $0 == 7001 }.count == 5)
        let three = BenchTarget(port: 1, alsoPorts: [2, 3])
        #expect(three.clientsPerPort(10) == [4, 3, 3])
    }

    @Test(arguments: [(100, 1), (100, 2), (500, 2), (7, 3), (2, 2), (1, 4)])
    func clientsPerPortAddUpAndDifferByAtMostOne(clients: Int, ports: Int) {
        let target = BenchTarget(port: 7000, alsoPorts: (1..<ports).map { 7000 + $0 })
        let split = target.clientsPerPort(clients)
        #expect(split.count == ports)
        #expect(split.reduce(0, +) == clients)
        #expect((split.max() ?? 0) - (split.min() ?? 0) <= 1)
        // The same split as the assignment itself.
        let assigned = (0..<clients).map { target.port(forClient: $0) }
        #expect(target.ports.map { port in assigned.filter { $0 == port }.count } == split)
    }

    @Test func serverPIDsAreTheServersFirstThenTheOthers() {
        #expect(BenchTarget(port: 1).serverPIDs.isEmpty)
        #expect(BenchTarget(port: 1, serverPID: 10).serverPIDs == [10])
        #expect(BenchTarget(port: 1, serverPID: 10, alsoServerPIDs: [12, 11]).serverPIDs == [10, 12, 11])
    }
}
