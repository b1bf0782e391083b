using Prometheus;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;

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

    public static readonly Counter Requeues = Metrics.CreateCounter("renderfarm_coordinator_requeues_total",
        "Productions put back in the queue after an attempt, by cause (failed: a retryable failure; declined: the node never started it; lease_expired).", "cause");
    public static readonly Counter PoisonJobs = Metrics.CreateCounter("renderfarm_coordinator_poison_jobs_total",
        "Productions failed as POISON_JOB (their attempts failed on too many different nodes).");
    public static readonly Counter StaleResults = Metrics.CreateCounter("renderfarm_coordinator_stale_results_total",
        "Node results refused by fencing, by reason (STALE_LEASE, NOT_RUNNING, NOT_FOUND).", "reason");
    public static readonly Counter Finished = Metrics.CreateCounter("renderfarm_coordinator_productions_finished_total",
        "Productions this coordinator brought to a final state (succeeded, failed), from node results and expired leases.", "state");

    /// <summary>Counts what an accepted or refused node result did to its production.</summary>
    public static void Completed(Completion completion, bool declined)
    {
        Results.WithLabels(completion.Accepted ? completion.State.ToString().ToLowerInvariant() : "rejected").Inc();
        if (!completion.Accepted)
        {
            StaleResults.WithLabels(completion.RejectReason).Inc();
            return;
        }

        Transition(completion.State, completion.ErrorCode, declined ? "declined" : "failed");
    }

    /// <summary>Counts a lease that expired and what became of its production.</summary>
    public static void Expired(Reaped reaped)
    {
        LeasesExpired.Inc();
        Transition(reaped.State, reaped.ErrorCode, "lease_expired");
    }

    private static void Transition(Production.Types.State state, string errorCode, string requeueCause)
    {
        if (state == Production.Types.State.Queued)
        {
            Requeues.WithLabels(requeueCause).Inc();
            return;
        }

        Finished.WithLabels(state.ToString().ToLowerInvariant()).Inc();
        if (errorCode == ErrorReasons.PoisonJob)
        {
            PoisonJobs.Inc();
        }
    }
}
