using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Storage;

/// <summary>
/// The app's Table and Queue clients. Tables and queues are created on first use. The Azure SDK
/// clients retry on their own: never wrap them in a Polly pipeline.
/// </summary>
public sealed class TapewatchStorage
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);

    /// <param name="policies">Extra Azure SDK pipeline policies for every Table/Queue client (none in production; tests count storage requests with one).</param>
    public TapewatchStorage(IOptions<StorageOptions> options, IConfiguration configuration, IEnumerable<StoragePipelinePolicy>? policies = null)
    {
        var o = options.Value;
        EvaluationQueueName = configuration[AppSettingNames.EvaluationQueueName] is { Length: > 0 } q ? q : AppSettingNames.DefaultEvaluationQueueName;
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var tableOptions = new TableClientOptions();
        foreach (var p in policies ?? [])
        {
            queueOptions.AddPolicy(p.Policy, p.Position);
            tableOptions.AddPolicy(p.Policy, p.Position);
        }

        if (!string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            Tables = new TableServiceClient(o.ConnectionString, tableOptions);
            Queues = new QueueServiceClient(o.ConnectionString, queueOptions);
        }
        else if (o.TableServiceUri is not null && o.QueueServiceUri is not null)
        {
            var credential = AzureCredentials.For(o.ManagedIdentityClientId);
            Tables = new TableServiceClient(o.TableServiceUri, credential, tableOptions);
            Queues = new QueueServiceClient(o.QueueServiceUri, credential, queueOptions);
        }
        else
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), ["Storage is not configured."]);
        }
    }

    public TableServiceClient Tables { get; }

    /// <summary>Queue clients use Base64 message encoding, as the Functions queue trigger expects.</summary>
    public QueueServiceClient Queues { get; }

    public string EvaluationQueueName { get; }

    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken = default) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateTableAsync(n, cancellationToken))).Value;

    public Task<QueueClient> QueueAsync(string name, CancellationToken cancellationToken = default) =>
        _queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(() => CreateQueueAsync(n, cancellationToken))).Value;

    private async Task<TableClient> CreateTableAsync(string name, CancellationToken cancellationToken)
    {
        var client = Tables.GetTableClient(name);
        try
        {
            await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _tables.TryRemove(name, out _);
            throw;
        }

        return client;
    }

    private async Task<QueueClient> CreateQueueAsync(string name, CancellationToken cancellationToken)
    {
        var client = Queues.GetQueueClient(name);
        try
        {
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _queues.TryRemove(name, out _);
            throw;
        }

        return client;
    }
}

/// <summary>
/// An Azure SDK pipeline policy added to every Table and Queue client of <see cref="TapewatchStorage"/> (register it as a
/// singleton). <see cref="HttpPipelinePosition.PerRetry"/> sees every attempt, i.e. every billed transaction.
/// </summary>
public sealed record StoragePipelinePolicy(HttpPipelinePolicy Policy, HttpPipelinePosition Position = HttpPipelinePosition.PerRetry);
