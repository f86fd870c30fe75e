using System.Globalization;
using System.Text.Json;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Cost;

/// <summary>
/// The month (docs/cost.md): the measured day's executions and storage transactions × 30, the modelled host overhead, plus
/// the charges of what the default deployment holds, read from a snapshot of infra/main.bicep, at the list prices of
/// list-prices.json. The default deployment must hold no fixed charge (no Service Bus namespace, no always-ready instance)
/// and cost under US$1 a month.
/// </summary>
public sealed partial class DailyCostTests
{
    /// <summary>The goal of issue #17: the default deployment under one US dollar a month at list prices.</summary>
    public const decimal MonthlyBudget = 1.00m;

    private const string EvaluatorRow = "Evaluator (queue)";

    private static async Task AssertMonthUnderBudgetAsync(IReadOnlyDictionary<string, Tally> rows, int timerFunctions, CancellationToken ct)
    {
        var timers = rows.Where(r => r.Key != EvaluatorRow).Select(r => r.Value).ToList();
        var day = new MeasuredDay(
            Executions: rows.Values.Sum(t => t.Executions),
            TimerExecutions: timers.Sum(t => t.Executions),
            TimerFunctions: timerFunctions,
            TableTransactions: rows.Values.Sum(t => t.Table),
            QueueTransactions: rows.Values.Sum(t => t.Queue),
            BilledGbSeconds: rows.Values.Sum(t => t.BilledGbSeconds));

        var prices = PriceList.Load();
        var polling = QueueMaxPollingInterval();
        var snapshots = (Default: DeploymentFacts.DefaultAsync(ct), WithServiceBus: DeploymentFacts.WithServiceBusAsync(ct));
        var deployment = await snapshots.Default;
        var month = MonthlyCost.Compute(day, deployment, prices, polling);
        var withServiceBus = MonthlyCost.Compute(day, await snapshots.WithServiceBus, prices, polling);

        var text = MonthlyCost.Report(month, withServiceBus, prices);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(TestPaths.RepoRoot, "TestResults", "cost-month.md"), text, ct);

        // No fixed charge in the default deployment: no Service Bus namespace, no always-ready instance.
        Assert.Empty(deployment.ServiceBusNamespaceSkus);
        Assert.Equal(0, deployment.AlwaysReadyInstances);
        Assert.DoesNotContain(month.Lines, l => l.Resource == MonthlyCost.ServiceBus);

        Assert.True(month.Total < MonthlyBudget, $"The default deployment costs {month.Total:0.000} USD a month, over the {MonthlyBudget} budget:\n{text}");

        // Even a month at the Log Analytics daily cap stays inside the monthly free ingestion.
        Assert.True(month.LogAnalyticsCapGbPerMonth <= prices["log-analytics-ingestion"].FreePerMonth, $"Log Analytics cap allows {month.LogAnalyticsCapGbPerMonth} GB a month");

        // The optional channel adds the Standard namespace's base charge (730 hours), nothing else of note.
        var serviceBus = withServiceBus.Total - month.Total;
        Assert.InRange(serviceBus, 9m, 11m);
        Assert.Equal(prices["service-bus-standard-base"].Price * prices.Assumptions.HoursPerMonth, withServiceBus.Lines.Where(l => l.Resource == MonthlyCost.ServiceBus).Sum(l => l.Cost));
    }

    /// <summary>host.json extensions.queues.maxPollingInterval: how often the idle queue trigger polls.</summary>
    private static TimeSpan QueueMaxPollingInterval()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "host.json")));
        var value = host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("maxPollingInterval").GetString()!;
        return TimeSpan.Parse(value, CultureInfo.InvariantCulture);
    }
}
