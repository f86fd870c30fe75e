using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Hosting;
using Tapewatch.Core.Ingestion;
using Tapewatch.IntegrationTests.Flows;

namespace Tapewatch.IntegrationTests.Faults;

/// <summary>Storage gone while the derivatives jobs run: a Failed run with the reason, never an unhandled exception.</summary>
public sealed class DerivativesStorageFaultTests
{
    [Fact]
    public async Task Derivatives_jobs_report_a_storage_outage_as_a_failed_run()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bybit = await LoopbackServer.StartAsync((c, _) =>
        {
            c.Response.ContentType = "application/json";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(c.Response, "{\"retCode\":0,\"result\":{\"list\":[]}}", ct);
        });

        // A storage account on a port nothing listens on (Azurite started and stopped).
        var azurite = await AzuriteProcess.StartAsync(searchFrom: TestSupport.TestPaths.RepoRoot, cancellationToken: ct);
        await azurite.DisposeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Tapewatch:Derivatives:Binance:Enabled"] = "false",
            ["Tapewatch:Derivatives:Okx:Enabled"] = "false",
            ["Tapewatch:Derivatives:Deribit:Enabled"] = "false",
            ["Tapewatch:Derivatives:Kraken:Enabled"] = "false",
            ["Tapewatch:Derivatives:Cftc:Enabled"] = "false",
            ["Tapewatch:Derivatives:BtcClose:Enabled"] = "false",
            ["Tapewatch:Derivatives:Bybit:BaseUrl"] = bybit.BaseUrl.ToString(),
            ["Tapewatch:Derivatives:Http:MaxRetries"] = "0",
        };
        await using var sp = FaultServices.Build(azurite, TimeProvider.System, settings: settings);

        var definitions = sp.GetServices<ScheduledJobDefinition>().Where(d => d.JobType == typeof(DerivativesHourlyJob) || d.JobType == typeof(DerivativesCloseJob)).ToList();
        Assert.Equal([typeof(DerivativesCloseJob), typeof(DerivativesHourlyJob)], definitions.Select(d => d.JobType).OrderBy(t => t.Name, StringComparer.Ordinal));
        foreach (var definition in definitions)
        {
            await using var scope = sp.CreateAsyncScope();
            var job = (IScheduledJob)scope.ServiceProvider.GetRequiredService(definition.JobType);
            var runs = await job.RunAsync(ct);
            var run = Assert.Single(runs);
            Assert.Equal(RunOutcome.Failed, run.Outcome);
            Assert.StartsWith("storage: ", run.Error, StringComparison.Ordinal);
        }
    }
}
