using Azure.Data.Tables;
using Azure.Storage.Queues;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests;

/// <summary>
/// One private Azurite per test run (in-memory, loopback, free ports), stopped afterwards. Without
/// Node/Azurite the tests that need it skip with the reason; under CI=true that is a failure.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private string? _unavailableReason;
    private int _counter;

    public string ConnectionString => Require().ConnectionString;

    public AzuriteProcess Process => Require();

    public async ValueTask InitializeAsync()
    {
        try
        {
            _azurite = await AzuriteProcess.StartAsync(searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (AzuriteUnavailableException ex)
        {
            if (TestPaths.IsCi) throw new InvalidOperationException("CI=true but Azurite could not start: " + ex.Message, ex);
            _unavailableReason = ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync().ConfigureAwait(false);
    }

    public AzuriteProcess Require()
    {
        if (_azurite is null) Assert.Skip("Azurite is not available: " + _unavailableReason);
        return _azurite;
    }

    /// <summary>A name unique within this run, for tables/queues that must not collide between tests.</summary>
    public string UniqueName(string prefix) => prefix + Interlocked.Increment(ref _counter).ToString(System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];

    public TableServiceClient TableService() => new(ConnectionString);

    public QueueServiceClient QueueService() => new(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
}
