using Microsoft.Extensions.Logging;

namespace Tapewatch.Infrastructure.Hosting;

/// <summary>
/// Named events the app emits as structured logs. In Azure the Functions worker's Application Insights integration
/// records them as traces with <c>EventId</c>/<c>EventName</c> and every template value as a custom dimension, so
/// "ingestion runs", "evaluations" and "alert sends" can be queried by name (e.g.
/// <c>traces | where customDimensions.EventName == "AlertSent"</c>).
/// </summary>
public static class TelemetryEvents
{
    public static readonly EventId IngestionRun = new(1000, nameof(IngestionRun));
    public static readonly EventId Evaluation = new(1100, nameof(Evaluation));
    public static readonly EventId AlertSent = new(1200, nameof(AlertSent));
    public static readonly EventId AlertNotDelivered = new(1201, nameof(AlertNotDelivered));
    public static readonly EventId AlertAbandoned = new(1202, nameof(AlertAbandoned));
}
