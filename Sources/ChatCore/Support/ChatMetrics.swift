import CoreMetrics
import Metrics

/// The server's own figures, through swift-metrics, so whichever backend the executable bootstraps gets them (the
/// server bootstraps Prometheus and the web door serves it at `/metrics`; without a bootstrap they cost nothing).
///
/// Each metric is made once, on first use, which comes after the executable's bootstrap: the hub and the listeners
/// start after it. Counters only: a rate ("messages per second") is the backend's job (`rate()` in PromQL).
public enum ChatMetrics {
    /// Room messages and actions committed.
    static let messages = Counter(label: "slashchat_messages_total")
    /// Room lines handed to members' connections (one per member per line).
    static let deliveries = Counter(label: "slashchat_deliveries_total")
    /// Connections dropped for not reading their messages.
    static let slowReadersDropped = Counter(label: "slashchat_slow_readers_dropped_total")
    /// Plugin and PATH-tool runs, and those stopped at their timeout.
    static let pluginRuns = Counter(label: "slashchat_plugin_runs_total")
    static let pluginTimeouts = Counter(label: "slashchat_plugin_timeouts_total")
    /// How long one group commit of room lines takes in the store.
    static let storeCommit = Timer(label: "slashchat_store_commit_seconds", preferredDisplayUnit: .seconds)

    /// Makes every metric now, right after the backend's bootstrap, so a scraper sees each at 0 from the start
    /// rather than only after its first event.
    public static func makeAll() {
        _ = (Self.messages, Self.deliveries, Self.slowReadersDropped, Self.pluginRuns, Self.pluginTimeouts)
        _ = Self.storeCommit
    }

    /// A batch of room lines delivered: `lines` lines, `deliveries` sends of one line to one member.
    static func delivered(lines: Int, deliveries: Int) {
        Self.messages.increment(by: lines)
        Self.deliveries.increment(by: deliveries)
    }

    /// One group commit took `duration`.
    static func committed(in duration: Duration) {
        Self.storeCommit.record(duration: duration)
    }

    /// A plugin or PATH tool ran (and was stopped at its timeout, or not).
    static func pluginRan(timedOut: Bool) {
        Self.pluginRuns.increment()
        if timedOut { Self.pluginTimeouts.increment() }
    }

    /// A connection dropped for not reading.
    public static func slowReaderDropped() {
        Self.slowReadersDropped.increment()
    }

    /// The open connections of one door (`tcp`, `tls`, `web`, …), as a gauge that goes up and down.
    public static func connections(transport: String) -> ConnectionGauge {
        ConnectionGauge(meter: Meter(label: "slashchat_connections", dimensions: [("transport", transport)]))
    }

    /// One door's open-connections gauge.
    public struct ConnectionGauge: Sendable {
        let meter: Meter

        public func opened() { self.meter.increment() }
        public func closed() { self.meter.decrement() }
    }
}
