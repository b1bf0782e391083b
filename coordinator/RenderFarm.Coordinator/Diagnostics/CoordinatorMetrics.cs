using Prometheus;

namespace RenderFarm.Coordinator.Diagnostics;

/// <summary>Prometheus metrics of the scheduler.</summary>
internal static class CoordinatorMetrics
{
    public static readonly Gauge ConnectedNodes = Metrics.CreateGauge("renderfarm_coordinator_connected_nodes", "Node streams held by this coordinator.");
    public static readonly Counter Dispatched = Metrics.CreateCounter("renderfarm_coordinator_assignments_total", "Productions leased to nodes.");
    public static readonly Counter Results = Metrics.CreateCounter("renderfarm_coordinator_results_total", "Node results by outcome (succeeded, failed, queued for retry, rejected).", "outcome");
    public static readonly Counter WebhooksDelivered = Metrics.CreateCounter("renderfarm_webhooks_delivered_total", "Webhook deliveries a receiver answered with 2xx.");
    public static readonly Counter WebhookAttemptsFailed = Metrics.CreateCounter("renderfarm_webhook_attempts_failed_total", "Webhook attempts that failed (retried or given up).");
    public static readonly Counter WebhooksGivenUp = Metrics.CreateCounter("renderfarm_webhooks_given_up_total", "Webhook deliveries given up (attempts exhausted, refused destination, or a 3xx/4xx answer).");
    public static readonly Counter OutputsExpired = Metrics.CreateCounter("renderfarm_outputs_expired_total", "Outputs the retention sweep deleted.");
    public static readonly Counter LeasesExpired = Metrics.CreateCounter("renderfarm_coordinator_leases_expired_total", "Leases that expired and were requeued or failed.");
}
