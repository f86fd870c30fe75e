using System.Text.Json.Nodes;
using Tapewatch.Local.Commands;

namespace Tapewatch.Tests.Weekly;

/// <summary>The CLI without storage: --dry-run must never need it.</summary>
public sealed class IngestWeeklyFlowsCommandTests
{
    [Fact]
    public async Task Dry_run_json_prints_the_parsed_week_without_storage()
    {
        // A storage connection string that cannot work: a dry run must not touch it.
        var request = new IngestWeeklyFlowsCommand.Request(WeeklyFixtures.Path("feed-2025-11-10.xml"), DryRun: true, Json: true, Published: null, Storage: "not a connection string", Data: null);
        var output = new StringWriter();

        var code = await IngestWeeklyFlowsCommand.RunAsync(request, output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, code);
        var json = JsonNode.Parse(output.ToString())!;
        Assert.Equal("2025-11-07", json["weekEnding"]!.GetValue<string>());
        Assert.Equal(-1_170_000_000L, json["totalUsd"]!.GetValue<long>());
        Assert.Equal(-932_000_000L, json["assets"]!["Bitcoin"]!.GetValue<long>());
        Assert.Equal(41_400_000L, json["regions"]!["Germany"]!.GetValue<long>());
        Assert.Equal("manual-file", json["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dry_run_reads_a_saved_page_and_prints_a_summary()
    {
        var request = new IngestWeeklyFlowsCommand.Request(WeeklyFixtures.Path("report-2025-11-10.html"), DryRun: true, Json: false, Published: null, Storage: null, Data: null);
        var output = new StringWriter();

        var code = await IngestWeeklyFlowsCommand.RunAsync(request, output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains("Fri 2025-11-07 (published 2025-11-10)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("total:     -1,170,000,000 USD", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("dry run: nothing stored", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 2, "--file is required")]
    [InlineData("missing.xml", null, 2, "does not exist")]
    [InlineData("feed-2025-11-10.xml", "10/11/2025", 2, "--published")]
    [InlineData("feed-malformed.xml", null, 1, "not well-formed")]
    [InlineData("feed-empty.xml", null, 1, "no items")]
    [InlineData("feed-2025-11-10.xml", "2025-11-11", 1, "contradicts")]
    public async Task Bad_input_exit_codes(string? file, string? published, int expectedCode, string expectedError)
    {
        var request = new IngestWeeklyFlowsCommand.Request(file is null ? null : WeeklyFixtures.Path(file), DryRun: true, Json: true, Published: published, Storage: null, Data: null);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await IngestWeeklyFlowsCommand.RunAsync(request, output, error, CancellationToken.None);

        Assert.Equal(expectedCode, code);
        Assert.Contains(expectedError, error.ToString(), StringComparison.Ordinal);
        if (expectedCode == 1) Assert.Contains("\"error\"", output.ToString(), StringComparison.Ordinal);
    }
}
