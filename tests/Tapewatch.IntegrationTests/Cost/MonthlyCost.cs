using System.Globalization;
using System.Text;

namespace Tapewatch.IntegrationTests.Cost;

/// <summary>What one UTC day of the default schedules did, measured against Azurite by <see cref="DailyCostTests"/>.</summary>
/// <param name="BilledGbSeconds">Each execution rounded up to whole seconds at <see cref="CostAssumptions.MeasuredInstanceMemoryMB"/>.</param>
public sealed record MeasuredDay(int Executions, int TimerExecutions, int TimerFunctions, int TableTransactions, int QueueTransactions, double BilledGbSeconds);

/// <summary>One row of the monthly table: a meter of a resource, its monthly quantity and cost (with and without the free grant).</summary>
public sealed record CostLine(string Resource, string Meter, ListPrice Price, decimal Quantity, decimal Cost, decimal CostWithoutFreeGrant);

/// <summary>
/// A month of a deployment at list prices: the measured day × <see cref="CostAssumptions.DaysPerMonth"/> for what the schedules
/// do, the modelled host overhead, and the charges of what the deployment holds (its snapshot: <see cref="DeploymentFacts"/>).
/// </summary>
public sealed record MonthlyCost(IReadOnlyList<CostLine> Lines, decimal LogAnalyticsCapGbPerMonth)
{
    public const string FunctionApp = "Function app (Flex Consumption)";
    public const string Storage = "Storage account (StorageV2, LRS)";
    public const string Monitoring = "Log Analytics + Application Insights";
    public const string KeyVault = "Key Vault (standard)";
    public const string ServiceBus = "Service Bus (Standard)";

    public decimal Total => Lines.Sum(l => l.Cost);

    /// <summary>The month if every free grant were already used by other workloads of the subscription or billing account.</summary>
    public decimal TotalWithoutFreeGrants => Lines.Sum(l => l.CostWithoutFreeGrant);

    public static MonthlyCost Compute(MeasuredDay day, DeploymentFacts deployment, PriceList prices, TimeSpan queueMaxPollingInterval)
    {
        Require(deployment);
        var a = prices.Assumptions;
        decimal days = a.DaysPerMonth;
        var lines = new List<CostLine>();
        void Add(string resource, string meter, string priceId, decimal quantity)
        {
            var price = prices[priceId];
            lines.Add(new CostLine(resource, meter, price, quantity, price.Cost(quantity), price.Cost(quantity, applyFreeGrant: false)));
        }

        var memoryGb = deployment.InstanceMemoryMB / 1024m;
        Add(FunctionApp, "on-demand executions (measured)", "flex-executions", day.Executions * days);
        Add(FunctionApp, $"on-demand execution time (measured, each run rounded up to 1 s, {deployment.InstanceMemoryMB} MB)", "flex-execution-time",
            decimal.Round((decimal)day.BilledGbSeconds * deployment.InstanceMemoryMB / a.MeasuredInstanceMemoryMB * days, 1));
        Add(FunctionApp, $"always-ready baseline ({deployment.AlwaysReadyInstances} instances)", "flex-always-ready-baseline",
            deployment.AlwaysReadyInstances * memoryGb * a.HoursPerMonth * 3600);

        Add(Storage, "table transactions (measured)", "table-transactions", day.TableTransactions * days);
        Add(Storage, "queue operations (measured)", "queue-operations", day.QueueTransactions * days);
        Add(Storage, $"queue trigger polling, all day every {queueMaxPollingInterval.TotalSeconds:0} s (host.json maxPollingInterval; upper bound)", "queue-operations",
            (decimal)Math.Floor(TimeSpan.FromDays(1) / queueMaxPollingInterval) * days);
        var leaseRenewalsPerDay = (86_400m / a.HostLockRenewalSeconds) + (day.TimerFunctions * 86_400m / a.TimerListenerLockRenewalSeconds);
        Add(Storage, $"blob lease renewals: host lock + {day.TimerFunctions} timer listener locks, all day (upper bound)", "blob-hot-read-other", decimal.Round(leaseRenewalsPerDay * days));
        Add(Storage, "blob reads: timer schedule status (one per timer run)", "blob-hot-read-other", day.TimerExecutions * days);
        Add(Storage, "blob writes: timer schedule status (one per timer run)", "blob-hot-write", day.TimerExecutions * days);
        Add(Storage, "blob capacity, Hot (deployment package, host blobs)", "blob-hot-capacity", a.StoredBlobGb);
        Add(Storage, "table and queue capacity", "table-queue-capacity", a.StoredTableAndQueueGb);

        var telemetryItemsPerDay = (day.Executions * a.TelemetryItemsPerExecution) + ((day.TableTransactions + day.QueueTransactions) * a.TelemetryItemsPerStorageTransaction);
        var ingestedGb = decimal.Round(telemetryItemsPerDay * (decimal)a.TelemetryBytesPerItem * days / 1_000_000_000m, 3);
        Add(Monitoring, $"ingestion, estimate: {telemetryItemsPerDay:#,0} telemetry items a day (workspace-based Application Insights bills here)", "log-analytics-ingestion", ingestedGb);
        Add(Monitoring, $"retention beyond 31 days (retention {deployment.LogAnalyticsRetentionDays} days)", "log-analytics-retention",
            ingestedGb * Math.Max(0, deployment.LogAnalyticsRetentionDays - 31) / 30m);

        Add(KeyVault, $"secret operations ({deployment.KeyVaultReferences} Key Vault references)", "key-vault-operations", deployment.KeyVaultReferences * a.KeyVaultOperationsPerReferencePerMonth);

        foreach (var _ in deployment.ServiceBusNamespaceSkus)
        {
            Add(ServiceBus, "namespace base charge (every hour of the month)", "service-bus-standard-base", a.HoursPerMonth);
            Add(ServiceBus, "messaging operations (alerts)", "service-bus-standard-operations", a.ServiceBusOperationsPerMonth);
        }

        var cap = deployment.LogAnalyticsDailyCapGb < 0 ? decimal.MaxValue : deployment.LogAnalyticsDailyCapGb * 31;
        return new MonthlyCost(lines, cap);
    }

    /// <summary>The prices are for these SKUs only; another one needs its own prices first.</summary>
    private static void Require(DeploymentFacts d)
    {
        void Check(bool ok, string what)
        {
            if (!ok) throw new NotSupportedException($"The cost model has list prices for {what} only: add the prices of the new choice to list-prices.json.");
        }

        Check(d.StorageSku == "Standard_LRS" && d.StorageKind == "StorageV2", "a StorageV2 Standard_LRS account");
        Check(d.LogAnalyticsSku == "PerGB2018", "a pay-as-you-go (PerGB2018) Log Analytics workspace");
        Check(d.ApplicationInsightsWorkspaceBased, "a workspace-based Application Insights component");
        Check(string.Equals(d.KeyVaultSku, "standard", StringComparison.OrdinalIgnoreCase), "a standard Key Vault");
        Check(d.PlanSku == "FC1", "the Flex Consumption (FC1) plan");
        Check(d.ServiceBusNamespaceSkus.All(s => s == "Standard"), "Standard Service Bus namespaces");
    }

    /// <summary>The month as markdown: the table, the totals, the bounds, the optional lines of <paramref name="optional"/> and the prices' sources.</summary>
    public static string Report(MonthlyCost month, MonthlyCost? optional, PriceList prices)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Default deployment, one month ({prices.Assumptions.DaysPerMonth} days of the measured day; {prices.Assumptions.HoursPerMonth} hours), list prices in {prices.Currency} (list-prices.json, compiled {prices.Compiled}):");
        sb.AppendLine();
        AppendTable(sb, month.Lines, month.Total);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Without any free grant (the subscription's Functions grant and the billing account's 5 GB of Log Analytics used up by other workloads): {Quantities.Money(month.TotalWithoutFreeGrants)} a month.");
        var ingestion = prices["log-analytics-ingestion"];
        sb.AppendLine(CultureInfo.InvariantCulture, $"Log Analytics at its daily cap every day of a 31-day month: {Quantities.Format(month.LogAnalyticsCapGbPerMonth)} GB, {Quantities.Money(ingestion.Cost(month.LogAnalyticsCapGbPerMonth))} with the free grant ({Quantities.Money(ingestion.Cost(month.LogAnalyticsCapGbPerMonth, applyFreeGrant: false))} without).");
        if (optional is not null)
        {
            var extra = optional.Lines.Where(l => !month.Lines.Any(m => m.Resource == l.Resource && m.Meter == l.Meter)).ToList();
            sb.AppendLine();
            sb.AppendLine("Optional Service Bus channel (`enableServiceBus=true`): the lines it adds.");
            sb.AppendLine();
            AppendTable(sb, extra, optional.Total, totalLabel: "total with Service Bus");
        }

        sb.AppendLine();
        sb.AppendLine("| price | service | meter | list price | source |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var p in prices.Prices)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| `{p.Id}` | {p.Service} | {p.Meter} | {p.Describe()} | {p.Source} |");
        }

        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, IEnumerable<CostLine> lines, decimal total, string totalLabel = "total")
    {
        sb.AppendLine("| resource | meter | list price | quantity a month | cost a month |");
        sb.AppendLine("|---|---|---|---:|---:|");
        foreach (var l in lines)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {l.Resource} | {l.Meter} | {l.Price.Describe()} (`{l.Price.Id}`) | {Quantities.Format(l.Quantity)} {l.Price.Unit} | {Quantities.Money(l.Cost)} |");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"| **{totalLabel}** | | | | **{Quantities.Money(total)}** |");
    }
}
