using Tapewatch.Local.Commands;
using Tapewatch.Local.Demo;
using Tapewatch.Local.Hosting;

namespace Tapewatch.IntegrationTests.LocalQueue;

/// <summary>The offline demo: its own Azurite, the bundled sample through ingestion, queue, evaluator and alerts.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_replays_the_sample_and_ends_with_the_regime_of_21_November_2025()
    {
        var outbox = Directory.CreateTempSubdirectory("tapewatch-outbox-").FullName;
        try
        {
            var output = new StringWriter();
            var clock = new DemoClock(DemoCommand.SampleEnd);
            var options = new LocalHostOptions
            {
                Port = Foundation.LocalHostTests.FreePort(),
                Once = true,
                Time = clock,
                Replay = new DemoReplay(clock).RunAsync,
                Settings = DemoCommand.Settings(outbox),
            };

            var code = await new LocalHost(options, output, output).RunAsync(TestContext.Current.CancellationToken);

            var text = output.ToString();
            Assert.Equal(0, code);
            Assert.Contains("replaying 25 sessions of SAMPLE data", text, StringComparison.Ordinal);
            Assert.Matches(@"2025-11-03\s+-186\.5\s+Caution\s+\S+ \d/3\s+Triggered 4/4", text);
            Assert.Matches(@"2025-11-07\s+-558\.4\s+Reset", text);
            Assert.Contains("Regime as of Fri 21 Nov 2025: Stabilizing", text, StringComparison.Ordinal);
            Assert.Contains("illustrative", text, StringComparison.OrdinalIgnoreCase);

            // The alert lifecycle ran on the replay: the Caution episode of 3 Nov 2025 is in the outbox, once.
            var alerts = Directory.GetFiles(outbox, "*.json").Select(Path.GetFileName).ToList();
            Assert.Single(alerts, a => a!.StartsWith("scenario_caution_triggered_2025-11-03_firing", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(outbox, recursive: true);
        }
    }

    [Fact]
    public void Illustrative_readings_are_labelled()
    {
        var sessions = new[] { new DateOnly(2025, 11, 3), new DateOnly(2025, 11, 4) };
        var reading = DemoReplay.IllustrativeReading(sessions, 1, DateTimeOffset.UnixEpoch);
        Assert.True(reading.Illustrative);
        Assert.Equal(new DateOnly(2025, 11, 4), reading.CmeReportDate);
        Assert.Equal(["illustrative sample"], reading.Venues);
    }
}
