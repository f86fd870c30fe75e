using Microsoft.Extensions.Logging;

namespace Tapewatch.Infrastructure.Hosting;

/// <summary>
/// Named events the app emits as structured logs. In Azure the Functions worker's Application Insights integration
/// records them as traces with <c>EventId</c>/<c>EventName</c> and every template value as a custom dimension, so
/// "ingestion runs", "evaluations" and "alert sends" can be queried by name (e.g.
/// <c>traces | where customDimensions.EventName == "AlertSent"</c>).
/// </summary>
/// <remarks>
/// Every other log message is a <c>[LoggerMessage]</c> with its own EventId in its feature's range (the table in
/// docs/architecture.md, "Log events"); the ids below are constants so those attributes can name them.
/// </remarks>
public static class TelemetryEvents
{
    public const int IngestionRunId = 1000;
    public const int EvaluationId = 1100;
    public const int AlertSentId = 1200;
    public const int AlertNotDeliveredId = 1201;
    public const int AlertAbandonedId = 1202;

    public static readonly EventId IngestionRun = new(IngestionRunId, nameof(IngestionRun));
    public static readonly EventId Evaluation = new(EvaluationId, nameof(Evaluation));
    public static readonly EventId AlertSent = new(AlertSentId, nameof(AlertSent));
    public static readonly EventId AlertNotDelivered = new(AlertNotDeliveredId, nameof(AlertNotDelivered));
    public static readonly EventId AlertAbandoned = new(AlertAbandonedId, nameof(AlertAbandoned));
}
