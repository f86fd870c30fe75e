using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Time;
using Tapewatch.Local.Commands;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Tests.Flows;

public sealed class EtfFlowsCompositionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Tapewatch:Storage:ConnectionString", "UseDevelopmentStorage=true");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTapewatchApp(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_job_the_sources_and_the_endpoint_resolve_and_the_schedule_is_registered()
    {
        using var sp = Build([]);
        Assert.NotNull(sp.GetRequiredService<EtfFlowsIngestionJob>());
        Assert.NotNull(sp.GetRequiredService<EtfFlowsBackfillEndpoint>());
        Assert.Equal(["farside", "sosovalue"], sp.GetRequiredService<EtfFlowSourceChain>().Order);
        Assert.Equal(["farside", "sosovalue"], sp.GetServices<IEtfFlowSource>().Select(s => s.Name).Order());
        var job = Assert.Single(sp.GetServices<ScheduledJobDefinition>(), j => j.Name == "EtfFlows");
        Assert.Equal(("EtfFlowsSchedule", typeof(EtfFlowsIngestionJob)), (job.ScheduleSetting, job.JobType));
    }

    [Fact]
    public void Source_order_is_configurable()
    {
        using var sp = Build(new() { ["Tapewatch:Flows:Sources"] = "SoSoValue, farside" });
        Assert.Equal(["sosovalue", "farside"], sp.GetRequiredService<EtfFlowSourceChain>().Order);
    }

    [Theory]
    [InlineData("Tapewatch:Flows:Sources", "farside,coinglass", "coinglass")]
    [InlineData("Tapewatch:Flows:Sources", "farside,farside", "twice")]
    [InlineData("Tapewatch:Flows:FinalCutoffUtc", "1.02:00:00", "FinalCutoffUtc")]
    [InlineData("Tapewatch:Flows:Http:MaxRetries", "50", "MaxRetries")]
    [InlineData("Tapewatch:Flows:LookbackDays", "1", "LookbackDays")]
    public void Bad_settings_fail_validation_naming_the_setting(string key, string value, string named)
    {
        using var sp = Build(new() { [key] = value });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<FlowsOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    /// <summary>
    /// The default schedule covers the evening after the 16:00 New York close in both EDT (20:00 UTC) and
    /// EST (21:00 UTC), the night, and the next morning up to and just past the 14:00 UTC cut-off.
    /// </summary>
    [Theory]
    [InlineData("2026-07-13")] // EDT week
    [InlineData("2026-01-12")] // EST week
    public void Default_schedule_covers_the_evening_after_the_close_and_the_next_morning(string monday)
    {
        var schedule = LocalScheduler.Parse(FlowsServiceCollectionExtensions.DefaultSchedule);
        var policy = SessionStatusPolicy.Default;
        for (var i = 0; i < 5; i++)
        {
            var session = DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture).AddDays(i);
            var close = NewYorkTime.CloseUtc(session);
            var evening = schedule.GetNextOccurrences(close.UtcDateTime, close.UtcDateTime.AddHours(3)).ToList();
            Assert.True(evening.Count >= 4, $"{session}: {evening.Count} runs in the 3 h after the close");
            Assert.True(evening[0] <= close.UtcDateTime.AddMinutes(65), $"{session}: first run {evening[0]:HH:mm} UTC");
            var cutoff = policy.CutoffUtc(session).UtcDateTime;
            Assert.NotEmpty(schedule.GetNextOccurrences(cutoff.AddHours(-2), cutoff));
            Assert.NotEmpty(schedule.GetNextOccurrences(cutoff, cutoff.AddHours(1))); // finalises after the cut-off
        }
    }

    [Fact]
    public async Task Cli_dry_run_prints_the_sessions_as_json_without_storage()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var request = new IngestEtfFlowsCommand.Request(null, FlowsFixtures.Path("farside_quirks.html"), null, null, DryRun: true, Json: true, Storage: "DefaultEndpointsProtocol=http;AccountName=nobody;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:1/nobody;QueueEndpoint=http://127.0.0.1:1/nobody;");
        var code = await IngestEtfFlowsCommand.RunAsync(request, output, error, CancellationToken.None);

        Assert.Equal(0, code);
        var text = output.ToString().Trim();
        Assert.StartsWith(
            "[{\"date\":\"2026-02-09\",\"total\":59.0,\"status\":\"Final\",\"funds\":{\"IBIT\":1205.2,\"FBTC\":-44.5,\"BITB\":0.0,\"ARKB\":12.0,\"NEWF\":null,\"GBTC\":-1113.7},\"pendingFunds\":[]},",
            text,
            StringComparison.Ordinal);
        Assert.EndsWith("\"pendingFunds\":[\"ARKB\"]}]", text, StringComparison.Ordinal); // 17 Feb: ARKB never reported
        Assert.Equal(6, System.Text.Json.JsonDocument.Parse(text).RootElement.GetArrayLength());
        Assert.Equal("", error.ToString());
    }

    [Theory]
    [InlineData("coinglass", null, null, "--source")]
    [InlineData("farside", "x.csv", null, "cannot be combined")]
    [InlineData(null, null, "2026-13-01", "--from")]
    [InlineData(null, "missing.html", null, "does not exist")]
    public async Task Cli_usage_errors_exit_2(string? source, string? file, string? from, string message)
    {
        var error = new StringWriter();
        var code = await IngestEtfFlowsCommand.RunAsync(new IngestEtfFlowsCommand.Request(source, file, from, null, DryRun: true, Json: false), TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_dry_run_of_a_challenge_page_fails_and_says_why()
    {
        var error = new StringWriter();
        var code = await IngestEtfFlowsCommand.RunAsync(new IngestEtfFlowsCommand.Request(null, FlowsFixtures.Path("farside_challenge.html"), null, null, DryRun: true, Json: true), TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.Contains("SourceBlocked", error.ToString(), StringComparison.Ordinal);
    }
}
