using Tapewatch.Core.Flows;
using System.Text.Json;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>
/// The JSON shape of a parsed or stored session for scripts:
/// <c>{"date":"2026-07-06","total":265.7,"status":"Final","funds":{"IBIT":209.4,…},"pendingFunds":[]}</c>.
/// <c>pendingFunds</c> are late funds: "-" although they reported in the previous sessions.
/// </summary>
public sealed record EtfSessionView(string Date, decimal Total, string Status, IReadOnlyDictionary<string, decimal?> Funds, IReadOnlyList<string> PendingFunds)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EtfSessionView From(PlannedSession planned) => new(
        Tapewatch.Infrastructure.Storage.TableValues.Date(planned.Session.Date),
        planned.Session.TotalUsdM,
        planned.Session.Status.ToString(),
        planned.Session.Funds,
        planned.LateFunds);

    public static string Serialize(IEnumerable<PlannedSession> sessions) => JsonSerializer.Serialize(sessions.Select(From).ToList(), Json);
}
