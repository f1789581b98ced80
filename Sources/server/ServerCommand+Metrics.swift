import ChatCore
import Metrics
import Prometheus

extension ServerCommand {
    /// Makes Prometheus the backend of swift-metrics, before anything records a figure; the web door serves the
    /// registry at `/metrics`.
    func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        ChatMetrics.makeAll()
        return registry
    }
}
