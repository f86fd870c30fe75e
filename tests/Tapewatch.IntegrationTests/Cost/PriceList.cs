using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Cost;

/// <summary>One list price: <see cref="Price"/> per <see cref="Per"/> <see cref="Unit"/>, after <see cref="FreePerMonth"/> free units a month.</summary>
public sealed record ListPrice(string Id, string Service, string Meter, string Unit, decimal Per, decimal Price, decimal FreePerMonth, string Source)
{
    /// <summary>The month's cost of <paramref name="quantity"/> units, with or without the free grant.</summary>
    public decimal Cost(decimal quantity, bool applyFreeGrant = true) =>
        Math.Max(0m, quantity - (applyFreeGrant ? FreePerMonth : 0m)) * Price / Per;

    public string Describe()
    {
        var per = Per == 1 ? (Unit == "hours" ? "hour" : Unit) : $"{Quantities.Format(Per)} {Unit}";
        var free = FreePerMonth > 0 ? $" ({Quantities.Format(FreePerMonth)} {Unit} free a month)" : "";
        return string.Create(CultureInfo.InvariantCulture, $"${Price} per {per}{free}");
    }
}

/// <summary>The figures the month is built from besides the measured day (list-prices.json "assumptions"; each says why).</summary>
public sealed record CostAssumptions(
    int DaysPerMonth,
    int HoursPerMonth,
    int MeasuredInstanceMemoryMB,
    int TelemetryItemsPerExecution,
    int TelemetryItemsPerStorageTransaction,
    int TelemetryBytesPerItem,
    int HostLockRenewalSeconds,
    int TimerListenerLockRenewalSeconds,
    decimal StoredBlobGb,
    decimal StoredTableAndQueueGb,
    int KeyVaultOperationsPerReferencePerMonth,
    int ServiceBusOperationsPerMonth);

/// <summary>tests/Tapewatch.IntegrationTests/Cost/list-prices.json: every price the cost test uses, with its source, in one place.</summary>
public sealed record PriceList(string Currency, string Compiled, string Basis, IReadOnlyList<ListPrice> Prices, CostAssumptions Assumptions)
{
    public static string FilePath => Path.Combine(TestPaths.RepoRoot, "tests", "Tapewatch.IntegrationTests", "Cost", "list-prices.json");

    public ListPrice this[string id] => Prices.SingleOrDefault(p => p.Id == id) ?? throw new KeyNotFoundException($"list-prices.json has no price '{id}'.");

    public static PriceList Load()
    {
        var list = JsonSerializer.Deserialize<PriceList>(File.ReadAllText(FilePath), new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip })
            ?? throw new InvalidDataException($"{FilePath} is empty.");
        if (list.Currency != "USD") throw new InvalidDataException("list-prices.json: prices must be in USD.");
        return list;
    }
}

internal static class Quantities
{
    public static string Format(decimal value) => value switch
    {
        >= 1_000_000 when value % 1_000_000 == 0 => (value / 1_000_000).ToString("0", CultureInfo.InvariantCulture) + "M",
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("#,0.##", CultureInfo.InvariantCulture),
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };

    public static string Money(decimal value) => value switch
    {
        0 => "$0.00",
        < 0.001m => "< $0.001",
        < 1 => "$" + value.ToString("0.000", CultureInfo.InvariantCulture),
        _ => "$" + value.ToString("#,0.00", CultureInfo.InvariantCulture),
    };
}
