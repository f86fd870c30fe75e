using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Tests.Foundation;

/// <summary>
/// One schedule per job, everywhere: the code default (used by the local scheduler), the timer trigger's
/// %Setting%, the Bicep parameter default (the app setting in Azure) and local.settings.sample.json.
/// </summary>
public sealed partial class ScheduleParityTests
{
    private static IReadOnlyList<ScheduledJobDefinition> Jobs()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true" }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging();
        services.AddTapewatchApp(config);
        return services.BuildServiceProvider().GetServices<ScheduledJobDefinition>().ToList();
    }

    [Fact]
    public void Every_job_has_a_timer_trigger_reading_its_setting()
    {
        var timers = typeof(Tapewatch.Functions.Triggers.HealthFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>())
            .OfType<TimerTriggerAttribute>()
            .Select(a => a.Schedule)
            .ToHashSet(StringComparer.Ordinal);

        var jobs = Jobs();
        Assert.Equal(["EtfFlows", "WeeklyFlows", "derivatives-close", "derivatives-hourly"], jobs.Select(j => j.Name).Order(StringComparer.Ordinal));
        foreach (var job in jobs) Assert.Contains($"%{job.ScheduleSetting}%", timers);
    }

    [Fact]
    public void Bicep_defaults_and_the_local_settings_sample_match_the_code_defaults()
    {
        var bicep = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "infra", "main.bicep"));
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "functions", "Tapewatch.Functions", "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        foreach (var job in Jobs())
        {
            var param = char.ToLowerInvariant(job.ScheduleSetting[0]) + job.ScheduleSetting[1..];
            var match = Regex.Match(bicep, $@"param {param} string = '([^']*)'");
            Assert.True(match.Success, $"infra/main.bicep has no parameter {param}");
            Assert.Equal(job.DefaultSchedule, match.Groups[1].Value);
            Assert.Contains($"{job.ScheduleSetting}: {param}", bicep, StringComparison.Ordinal);
            Assert.Equal(job.DefaultSchedule, values.GetProperty(job.ScheduleSetting).GetString());
        }
    }
}
