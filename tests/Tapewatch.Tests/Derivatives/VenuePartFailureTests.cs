using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Infrastructure.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// A venue read is made of parts (Bybit: funding history, open interest, tickers). A part whose answer is malformed
/// becomes a note and the others are kept; when no part gives anything usable, the read fails with every part's reason.
/// </summary>
public sealed class VenuePartFailureTests
{
    /// <summary>The recorded answers, except that the requests <paramref name="tampered"/> picks get <paramref name="body"/>.</summary>
    private sealed class Tampered(Func<VenueRequest, bool> tampered, string body) : IVenueDocuments
    {
        private readonly RecordedVenueDocuments _recorded = new(Fixtures.Directory);

        public int Replaced { get; private set; }

        public Task<string> GetAsync(VenueRequest request, CancellationToken cancellationToken)
        {
            if (!tampered(request)) return _recorded.GetAsync(request, cancellationToken);
            Replaced++;
            return Task.FromResult(body);
        }
    }

    [Fact]
    public async Task A_malformed_part_is_a_note_and_the_other_parts_are_kept()
    {
        var untouched = await new BybitVenue().ReadAsync(new RecordedVenueDocuments(Fixtures.Directory), new DerivativesOptions(), CancellationToken.None);
        var documents = new Tampered(r => r.Path.EndsWith("/funding/history", StringComparison.Ordinal), "{\"retCode\":0,");

        var reading = await new BybitVenue().ReadAsync(documents, new DerivativesOptions(), CancellationToken.None);

        Assert.Equal(1, documents.Replaced);
        Assert.NotNull(untouched.OpenInterestBtc);
        Assert.Equal(untouched.OpenInterestBtc, reading.OpenInterestBtc);
        var note = Assert.Single(reading.Notes, n => n.StartsWith("funding/history: ", StringComparison.Ordinal));
        Assert.Contains("not valid JSON", note, StringComparison.Ordinal);
        Assert.DoesNotContain(untouched.Notes, n => n.StartsWith("funding/history: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_no_part_can_be_read_the_read_fails_as_malformed_with_every_reason()
    {
        var documents = new Tampered(_ => true, "<html>Just a moment…</html>");

        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => new BybitVenue().ReadAsync(documents, new DerivativesOptions(), CancellationToken.None));

        Assert.Equal(3, documents.Replaced);
        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
        Assert.Equal(3, ex.Message.Split("; ").Length);
        Assert.All(new[] { "funding/history: ", "open-interest: ", "tickers: " }, part => Assert.Contains(part, ex.Message, StringComparison.Ordinal));
        Assert.IsType<VenueRequestException>(ex.InnerException);
    }
}
