using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.TestSupport;

/// <summary>One storage request as the SDK sent it (one attempt = one billed transaction).</summary>
public sealed record StorageRequest(string Service, string Method, string Resource, string Query, int? Status)
{
    /// <summary>"table" or "queue", from the Azurite port or the account host name.</summary>
    public bool IsTable => Service == "table";

    public bool IsQueue => Service == "queue";

    /// <summary>A single-entity read: GET Table(PartitionKey='…',RowKey='…').</summary>
    public bool IsPointRead => IsTable && Method == "GET" && Resource.Contains("(PartitionKey=", StringComparison.Ordinal);

    /// <summary>An entity-group transaction ($batch).</summary>
    public bool IsBatch => Resource.EndsWith("$batch", StringComparison.Ordinal);

    public override string ToString() => $"{Service} {Method} {Resource}{Query} → {Status}";
}

/// <summary>
/// An Azure SDK pipeline policy that records every Table/Queue request (per retry, so every attempt) and can run a hook
/// before a request is sent (fault injection: kill Azurite after N requests). Register with
/// <see cref="Register"/> before the app's services so <see cref="TapewatchStorage"/> picks it up.
/// </summary>
public sealed class StorageRequestCounter(int? tablePort = null, int? queuePort = null) : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<StorageRequest> _requests = new();

    /// <summary>Runs before each request is sent: (request number from 1, request). May throw or kill the server.</summary>
    public Func<int, StorageRequest, Task>? BeforeSend { get; set; }

    private int _count;

    public IReadOnlyList<StorageRequest> Requests => _requests.ToArray();

    public int Count => Volatile.Read(ref _count);

    public void Reset()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    /// <summary>Adds the counter to a service collection (before <c>AddTapewatchApp</c>).</summary>
    public Microsoft.Extensions.DependencyInjection.IServiceCollection Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, new StoragePipelinePolicy(this));
        return services;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var uri = message.Request.Uri.ToUri();
        var service = uri.Port == tablePort || uri.Host.Contains(".table.", StringComparison.Ordinal) ? "table"
            : uri.Port == queuePort || uri.Host.Contains(".queue.", StringComparison.Ordinal) ? "queue"
            : "other";
        var pending = new StorageRequest(service, message.Request.Method.ToString(), Uri.UnescapeDataString(uri.AbsolutePath), uri.Query, null);
        var n = Interlocked.Increment(ref _count);
        if (BeforeSend is { } hook) await hook(n, pending).ConfigureAwait(false);
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            _requests.Enqueue(pending with { Status = message.HasResponse ? message.Response.Status : null });
        }
        catch
        {
            _requests.Enqueue(pending);
            throw;
        }
    }
}
