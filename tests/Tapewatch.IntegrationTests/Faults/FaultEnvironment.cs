using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Health;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Api;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.IntegrationTests.Faults;

/// <summary>
/// A private Azurite (its own: /api/health's "latest run" rows and the current evaluation are global, so fault tests
/// must not share storage with other classes), started in a data folder so it can be killed and restarted with its data.
/// </summary>
public sealed class FaultStorage : IAsyncDisposable
{
    private FaultStorage(string dataDirectory, AzuriteProcess process)
    {
        DataDirectory = dataDirectory;
        Process = process;
    }

    public string DataDirectory { get; }

    public AzuriteProcess Process { get; private set; }

    public static async Task<FaultStorage> StartAsync(AzuriteFixture shared, CancellationToken ct)
    {
        shared.Require(); // skips (or fails under CI) when Azurite cannot run
        var dir = Path.Combine(Path.GetTempPath(), "tapewatch-faults-" + Guid.NewGuid().ToString("N")[..10]);
        var process = await AzuriteProcess.StartAsync(dataDirectory: dir, searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        return new FaultStorage(dir, process);
    }

    /// <summary>Starts Azurite again on the same data folder (new ports, so a new connection string).</summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        Process.Kill();
        await Process.DisposeAsync();
        Process = await AzuriteProcess.StartAsync(dataDirectory: DataDirectory, searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The app's services on a storage account, with a request counter and extra settings.</summary>
internal static class FaultServices
{
    public static ServiceProvider Build(
        AzuriteProcess azurite,
        TimeProvider time,
        StorageRequestCounter? counter = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = azurite.ConnectionString,
            [Tapewatch.Infrastructure.Storage.AppSettingNames.EvaluationQueueName] = "faults-eval",
            ["Tapewatch:Flows:Sources"] = "farside",
            ["Tapewatch:Flows:Farside:BaseUrl"] = "http://127.0.0.1:1/",
            ["Tapewatch:Flows:Http:RetryBaseDelay"] = "00:00:00.010",
            ["Tapewatch:Flows:Http:MaxRetryAfter"] = "00:00:02",
            ["Tapewatch:Flows:Http:AttemptTimeout"] = "00:00:05",
            ["Tapewatch:Flows:Http:TotalTimeout"] = "00:00:20",
        };
        foreach (var kv in settings ?? new Dictionary<string, string?>()) values[kv.Key] = kv.Value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(time);
        counter?.Register(services);
        configure?.Invoke(services);
        services.AddTapewatchApp(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Runs a registered endpoint's handler on a request built from a DefaultHttpContext; returns status, content type and body.</summary>
    public static async Task<(int Status, string ContentType, string Body)> InvokeAsync(IServiceProvider services, Type endpointType, string method, string query, byte[]? body = null, string? contentType = null, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(body);
            context.Request.ContentLength = body.Length;
        }

        if (contentType is not null) context.Request.ContentType = contentType;
        context.Response.Body = new MemoryStream();
        var endpoint = (IApiEndpoint)scope.ServiceProvider.GetRequiredService(endpointType);
        var result = await endpoint.HandleAsync(context.Request, ct);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, context.Response.ContentType ?? "", await new StreamReader(context.Response.Body).ReadToEndAsync(ct));
    }

    /// <summary>GET /api/health through its handler: the overall status and the latest run of <paramref name="dataset"/>.</summary>
    public static async Task<(string Status, string? Outcome, string? Error, string? Source)> HealthAsync(IServiceProvider services, string dataset, CancellationToken ct)
    {
        var (status, _, body) = await InvokeAsync(services, typeof(HealthEndpoint), "GET", "", ct: ct);
        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(body);
        var run = doc.RootElement.GetProperty("ingestion").EnumerateArray().FirstOrDefault(r => r.GetProperty("dataset").GetString() == dataset);
        return (
            doc.RootElement.GetProperty("status").GetString()!,
            run.ValueKind == JsonValueKind.Object ? run.GetProperty("outcome").GetString() : null,
            run.ValueKind == JsonValueKind.Object && run.TryGetProperty("error", out var e) ? e.GetString() : null,
            run.ValueKind == JsonValueKind.Object ? run.GetProperty("source").GetString() : null);
    }

    /// <summary>Runs the evaluator on every message in the evaluation queue (as the queue trigger would); returns how many ran.</summary>
    public static async Task<int> DrainEvaluationsAsync(IServiceProvider services, CancellationToken ct)
    {
        var queue = await services.GetRequiredService<EvaluationQueue>().ClientAsync(ct);
        var n = 0;
        while (true)
        {
            var message = (await queue.ReceiveMessageAsync(cancellationToken: ct)).Value;
            if (message is null) return n;
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<EvaluationService>().HandleMessageAsync(message.Body.ToString(), ct);
            }

            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            n++;
        }
    }
}
