using System.Text.Json;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Local.Commands;

namespace Tapewatch.Tests.Hosting;

/// <summary>The CLI's small JSON answers are DTO records now; their JSON is what the anonymous objects before them wrote.</summary>
public sealed class CliJsonShapeTests
{
    [Fact]
    public void A_weekly_import_that_stored_nothing_prints_its_error()
    {
        Assert.Equal("""{"error":"No week."}""", JsonSerializer.Serialize(new IngestWeeklyFlowsFailure("No week."), ApiJson.Options));
    }

    [Fact]
    public void A_removed_silence_prints_its_id()
    {
        Assert.Equal("""{"id":"0123456789ab","removed":true}""", JsonSerializer.Serialize(new SilenceRemoved("0123456789ab", Removed: true), ApiJson.Options));
    }
}
