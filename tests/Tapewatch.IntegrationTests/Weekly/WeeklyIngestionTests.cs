using System.Net;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Health;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Tapewatch.IntegrationTests.Weekly;

public sealed class WeeklyIngestionTests(AzuriteFixture azurite)
{
    private static readonly DateOnly Week = new(2025, 11, 7);

    private static readonly DateTimeOffset MondayNoon = new(2025, 11, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 60_000)]
    public async Task Same_report_twice_stores_one_week_and_changes_nothing_the_second_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        var week = ReadFixture("feed-2025-11-10.xml");

        var first = await h.Ingestion.StoreAsync(week, h.Time.GetUtcNow(), ct);
        h.Time.Advance(TimeSpan.FromHours(1));
        var second = await h.Ingestion.StoreAsync(week, h.Time.GetUtcNow(), ct);

        Assert.Equal(WeeklyUpsertOutcome.Inserted, first.Upsert.Outcome);
        Assert.Equal(WeeklyUpsertOutcome.Unchanged, second.Upsert.Outcome);
        var stored = Assert.Single(await h.Store.GetRangeAsync(Week.AddDays(-30), Week.AddDays(30), ct));
        Assert.Equal(Week, stored.WeekEnding);
        Assert.Equal(-1_170_000_000L, stored.TotalUsd);
        Assert.Equal(1, stored.Revision);
        Assert.Equal(MondayNoon, stored.LastChangedUtc);
        Assert.Equal(-932_000_000L, stored.Assets["Bitcoin"]);
        Assert.Equal(-1_220_000_000L, stored.Regions["United States"]);
        Assert.Equal(240_000_000_000L, stored.AumUsd);
        Assert.Empty(await h.Store.GetRevisionsAsync(Week, ct));

        // One evaluation request, from the first run only, for the sessions from the Monday after the week.
        var request = Assert.Single(await h.EvaluationRequestsAsync());
        Assert.Equal("weekly-flows", request.Reason);
        Assert.Equal(new DateOnly(2025, 11, 10), request.ChangedFrom);
        Assert.True(first.Run.EvaluationEnqueued);
        Assert.False(second.Run.EvaluationEnqueued);

        // The run is what /api/health shows.
        var health = await h.Services.GetRequiredService<HealthService>().CheckAsync(ct);
        var run = Assert.Single(health.Ingestion, r => r.Dataset == WeeklyFlowIngestion.Dataset);
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.Equal(1, run.Unchanged);
        Assert.Equal(0, run.Inserted);
    }

    [Fact(Timeout = 60_000)]
    public async Task Corrected_figure_is_recorded_as_a_revision_and_re_evaluated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        await h.Ingestion.StoreAsync(ReadFixture("feed-2025-11-10.xml"), h.Time.GetUtcNow(), ct);
        h.Time.Advance(TimeSpan.FromHours(2));

        var corrected = ReadXml(WeeklyFixtureFiles.Text("feed-2025-11-10.xml")
            .Replace("totalling US$1.17bn. Sentiment", "totalling US$1.2bn. Sentiment", StringComparison.Ordinal)
            .Replace("totalling US$1.17bn.</li>", "totalling US$1.2bn.</li>", StringComparison.Ordinal));
        var result = await h.Ingestion.StoreAsync(corrected, h.Time.GetUtcNow(), ct);

        Assert.Equal(WeeklyUpsertOutcome.Updated, result.Upsert.Outcome);
        var (stored, _) = (await h.Store.GetAsync(Week, ct))!.Value;
        Assert.Equal(-1_200_000_000L, stored.TotalUsd);
        Assert.Equal(2, stored.Revision);
        Assert.Equal(MondayNoon.AddHours(2), stored.LastChangedUtc);

        var revision = Assert.Single(await h.Store.GetRevisionsAsync(Week, ct));
        Assert.Equal(2, revision.Revision);
        Assert.Equal(-1_170_000_000L, revision.Previous.TotalUsd);
        Assert.Equal(-1_200_000_000L, revision.Current.TotalUsd);
        Assert.Equal("TotalUsd -1170000000 → -1200000000", revision.Changes);

        Assert.Equal(2, (await h.EvaluationRequestsAsync()).Count);
        Assert.Equal(1, result.Run.Updated);
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_writers_never_lose_a_revision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        var week = new WeeklyFundFlow { WeekEnding = new DateOnly(2031, 1, 3), TotalUsd = 1, Source = "test" };
        await h.Store.UpsertAsync(week, MondayNoon, ct);

        var results = await Task.WhenAll(Enumerable.Range(2, 6).Select(i => h.Store.UpsertAsync(week with { TotalUsd = i }, MondayNoon, ct)));

        var (stored, _) = (await h.Store.GetAsync(week.WeekEnding, ct))!.Value;
        var revisions = await h.Store.GetRevisionsAsync(week.WeekEnding, ct);
        Assert.All(results, r => Assert.Equal(WeeklyUpsertOutcome.Updated, r.Outcome));
        Assert.Equal(7, stored.Revision);
        Assert.Equal(Enumerable.Range(2, 6), revisions.Select(r => r.Revision));
        Assert.Equal(results.OrderBy(r => r.Stored.Revision).Select(r => r.Stored.TotalUsd), revisions.Select(r => r.Current.TotalUsd));
    }

    [Fact(Timeout = 60_000)]
    public async Task Job_stores_the_new_week_then_further_runs_are_no_ops_without_fetching()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, new DateTimeOffset(2025, 11, 10, 7, 15, 0, TimeSpan.Zero));
        var feed = WeeklyFixtureFiles.Text("feed-2025-11-10.xml");

        // 07:15 UTC: this Monday's report is not out yet; the feed's newest report is last week's.
        var start = feed.IndexOf("<item>", StringComparison.Ordinal);
        var thisWeeks = feed.IndexOf("<item>", feed.IndexOf("10-november-2025", StringComparison.Ordinal) - 400, StringComparison.Ordinal);
        var early = feed.Remove(thisWeeks, feed.IndexOf("</item>", thisWeeks, StringComparison.Ordinal) + "</item>".Length - thisWeeks);
        Assert.DoesNotContain("10-november-2025", early, StringComparison.Ordinal);
        Assert.True(start <= thisWeeks);
        h.Feed.Serve(early);
        var run1 = Assert.Single(await h.Job().RunAsync(ct));
        Assert.Equal(RunOutcome.Succeeded, run1.Outcome);
        Assert.NotNull(await h.Store.GetAsync(new DateOnly(2025, 10, 31), ct));
        Assert.Null(await h.Store.GetAsync(Week, ct));

        // 08:15: still not out, the feed is read again and nothing changes.
        h.Time.Advance(TimeSpan.FromHours(1));
        var run2 = Assert.Single(await h.Job().RunAsync(ct));
        Assert.Equal(1, run2.Unchanged);
        Assert.Equal(2, h.Feed.Requests);

        // 10:15: published → stored.
        h.Time.Advance(TimeSpan.FromHours(2));
        h.Feed.Serve(feed);
        var run3 = Assert.Single(await h.Job().RunAsync(ct));
        Assert.Equal(1, run3.Inserted);
        Assert.True(run3.EvaluationEnqueued);
        Assert.Equal(-1_170_000_000L, (await h.Store.GetAsync(Week, ct))!.Value.Week.TotalUsd);
        Assert.Equal(WeeklyReport.FeedSource, run3.Source);

        // 11:15 Monday and the Tuesday catch-up: one point read, no fetch, no run written.
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await h.Job().RunAsync(ct));
        h.Time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await h.Job().RunAsync(ct));
        Assert.Equal(3, h.Feed.Requests);
        Assert.Equal(2, (await h.EvaluationRequestsAsync()).Count); // week 2025-10-31, then 2025-11-07
    }

    [Theory(Timeout = 60_000)]
    [InlineData("feed-malformed.xml", RunOutcome.ParseFailed, "not well-formed")]
    [InlineData("feed-empty.xml", RunOutcome.ParseFailed, "no items")]
    [InlineData("feed-no-report.xml", RunOutcome.ParseFailed, "no item titled")]
    [InlineData("feed-dtd.xml", RunOutcome.ParseFailed, "DTD")]
    [InlineData("403", RunOutcome.SourceBlocked, "HTTP 403")]
    [InlineData("503", RunOutcome.Failed, "HTTP 503")]
    public async Task Job_failures_are_recorded_and_write_nothing(string answer, RunOutcome outcome, string error)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        if (answer.EndsWith(".xml", StringComparison.Ordinal)) h.Feed.Serve(WeeklyFixtureFiles.Text(answer));
        else h.Feed.Next = () => new HttpResponseMessage((HttpStatusCode)int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture));

        var run = Assert.Single(await h.Job().RunAsync(ct));

        Assert.Equal(outcome, run.Outcome);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
        Assert.False(run.Changed);
        Assert.Empty(await h.Store.GetRangeAsync(new DateOnly(2000, 1, 7), new DateOnly(2100, 1, 1), ct));
        Assert.Empty(await h.EvaluationRequestsAsync());
        var health = await h.Services.GetRequiredService<HealthService>().CheckAsync(ct);
        Assert.Equal("degraded", health.Status);
        Assert.Equal(outcome, Assert.Single(health.Ingestion).Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task Storage_lost_between_the_fetch_and_the_write_is_a_Failed_run_with_the_reason_not_an_exception()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        var feed = WeeklyFixtureFiles.Text("feed-2025-11-10.xml");
        h.Feed.Next = () =>
        {
            h.KillStorage();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(feed, System.Text.Encoding.UTF8, "application/rss+xml") };
        };

        var run = Assert.Single(await h.Job().RunAsync(ct));

        Assert.Equal(1, h.Feed.Requests);
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(WeeklyFlowIngestion.Dataset, run.Dataset);
        Assert.Equal(WeeklyReport.FeedSource, run.Source);
        Assert.StartsWith("storage: ", run.Error, StringComparison.Ordinal);
        Assert.False(run.Changed);
        Assert.False(run.EvaluationEnqueued);
    }

    private static WeeklyFundFlow ReadFixture(string name) => ReadXml(WeeklyFixtureFiles.Text(name));

    private static WeeklyFundFlow ReadXml(string xml)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        var read = WeeklyReport.ReadFeed(stream, WeeklyReport.FeedSource);
        Assert.True(read.Week is not null, read.Error);
        return read.Week;
    }
}
