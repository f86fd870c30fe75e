using System.Reflection;
using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Tests.Architecture;

/// <summary>
/// Every log message is a source-generated <c>[LoggerMessage]</c> (CA1848 is an error in production code) with its own
/// EventId in its feature's range (docs/architecture.md, "Log events"); the named telemetry events keep the ids and
/// names that Application Insights queries use.
/// </summary>
public sealed class LogEventTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(Core.Rules.RegimeEngine).Assembly,
        typeof(Infrastructure.TapewatchServiceCollectionExtensions).Assembly,
        typeof(Functions.Triggers.RegimeFunction).Assembly,
        typeof(Local.Hosting.LocalHost).Assembly,
    ];

    private static readonly Dictionary<int, string> TelemetryNames = new()
    {
        [1000] = "IngestionRun",
        [1100] = "Evaluation",
        [1200] = "AlertSent",
        [1201] = "AlertNotDelivered",
        [1202] = "AlertAbandoned",
    };

    /// <summary>The ranges of docs/architecture.md: a namespace (and the namespaces under it) and its EventIds.</summary>
    private static readonly (string Namespace, int First, int Last)[] Ranges =
    [
        ("Tapewatch.Infrastructure.Ingestion", 1000, 1099),
        ("Tapewatch.Infrastructure.Evaluation", 1100, 1199),
        ("Tapewatch.Infrastructure.Alerts", 1200, 1299),
        ("Tapewatch.Infrastructure.Flows", 1300, 1399),
        ("Tapewatch.Infrastructure.Weekly", 1400, 1499),
        ("Tapewatch.Infrastructure.Derivatives", 1500, 1599),
        ("Tapewatch.Infrastructure.Health", 1600, 1699),
        ("Tapewatch.Infrastructure.Api", 1700, 1799),
        ("Tapewatch.Local", 1800, 1899),
    ];

    private sealed record LogMethod(string Where, string? Namespace, LoggerMessageAttribute Attribute)
    {
        public int EventId => Attribute.EventId;

        public override string ToString() => $"{Where} (EventId {EventId}, {Attribute.EventName ?? "no name"})";
    }

    private static List<LogMethod> LogMethods() =>
        Assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
                .Where(x => x.Attribute is not null)
                .Select(x => new LogMethod($"{t.FullName}.{x.Method.Name}", t.Namespace, x.Attribute!)))
            .ToList();

    [Fact]
    public void The_log_messages_are_found()
    {
        Assert.True(LogMethods().Count >= 50, $"only {LogMethods().Count} [LoggerMessage] methods found");
    }

    [Fact]
    public void The_named_telemetry_events_keep_their_ids_and_names()
    {
        Assert.Equal((1000, "IngestionRun"), (TelemetryEvents.IngestionRun.Id, TelemetryEvents.IngestionRun.Name));
        Assert.Equal((1100, "Evaluation"), (TelemetryEvents.Evaluation.Id, TelemetryEvents.Evaluation.Name));
        Assert.Equal((1200, "AlertSent"), (TelemetryEvents.AlertSent.Id, TelemetryEvents.AlertSent.Name));
        Assert.Equal((1201, "AlertNotDelivered"), (TelemetryEvents.AlertNotDelivered.Id, TelemetryEvents.AlertNotDelivered.Name));
        Assert.Equal((1202, "AlertAbandoned"), (TelemetryEvents.AlertAbandoned.Id, TelemetryEvents.AlertAbandoned.Name));

        var methods = LogMethods();
        foreach (var (id, name) in TelemetryNames)
        {
            var emitting = methods.Where(m => m.EventId == id || m.Attribute.EventName == name).ToList();
            Assert.True(emitting.Count > 0, $"no [LoggerMessage] emits {name} ({id})");
            Assert.All(emitting, m => Assert.Equal((id, name), (m.EventId, m.Attribute.EventName)));
        }
    }

    /// <summary>
    /// A named telemetry event may have several messages (AlertNotDelivered: rejected for good, or to be retried): they
    /// share its id and name on purpose. Any other id belongs to one message.
    /// </summary>
    [Fact]
    public void Every_other_log_message_has_an_event_id_of_its_own()
    {
        var methods = LogMethods();
        var implicitIds = methods.Where(m => m.EventId < 0).ToList();
        Assert.True(implicitIds.Count == 0, "give these an EventId:\n" + string.Join("\n", implicitIds));
        var shared = methods
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1 && !TelemetryNames.ContainsKey(g.Key))
            .Select(g => string.Join(", ", g))
            .ToList();
        Assert.True(shared.Count == 0, "EventIds used twice:\n" + string.Join("\n", shared));
    }

    [Fact]
    public void Every_event_id_is_in_its_feature_range()
    {
        var outside = LogMethods()
            .Where(m => Ranges.FirstOrDefault(r => m.Namespace == r.Namespace || (m.Namespace?.StartsWith(r.Namespace + ".", StringComparison.Ordinal) ?? false)) is not { Namespace: not null } range
                || m.EventId < range.First || m.EventId > range.Last)
            .ToList();
        Assert.True(outside.Count == 0, "outside their feature's range (docs/architecture.md, \"Log events\"):\n" + string.Join("\n", outside));
    }

    [Fact]
    public void The_ranges_do_not_overlap()
    {
        var ordered = Ranges.OrderBy(r => r.First).ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.First.Last < pair.Second.First, $"{pair.First.Namespace} overlaps {pair.Second.Namespace}"));
    }
}
