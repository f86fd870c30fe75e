using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary>
/// <c>tapewatch silence add|list|remove</c>. Talks to storage directly when it is configured (--storage or
/// Tapewatch__Storage__ConnectionString), else to a running host's API (--url, default http://localhost:7071, with
/// --key when the host needs one) — the local host's private Azurite is only reachable that way.
/// </summary>
internal static class SilenceCommand
{
    public static Command Create()
    {
        var command = new Command("silence", "Silence alerts: add, list or remove silences (label matchers + until + comment)");
        command.Subcommands.Add(AddCommand());
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(RemoveCommand());
        return command;
    }

    private sealed record Target(Option<string?> Storage, Option<string> Url, Option<string?> Key, Option<bool> Json);

    private static Target Common(Command command)
    {
        var target = new Target(
            new Option<string?>("--storage") { Description = "Storage connection string (default: Tapewatch__Storage__ConnectionString; without it the API at --url is used)" },
            new Option<string>("--url") { Description = "Base URL of a running Tapewatch host", DefaultValueFactory = _ => "http://localhost:7071" },
            new Option<string?>("--key") { Description = "Key for the host's admin routes (x-functions-key; default: Tapewatch__Local__ApiKey)" },
            new Option<bool>("--json") { Description = "Print JSON (for scripts)" });
        command.Options.Add(target.Storage);
        command.Options.Add(target.Url);
        command.Options.Add(target.Key);
        command.Options.Add(target.Json);
        return target;
    }

    private static Command AddCommand()
    {
        var match = new Option<string[]>("--match", "-m") { Description = "Label matcher, repeatable: scenario=Caution, event=Resolved, dataset=~etf.*, kind!=DataStale (labels: kind, scenario, dataset, level, event, regime)", AllowMultipleArgumentsPerToken = false };
        var until = new Option<string?>("--until") { Description = "End, ISO 8601 (e.g. 2025-11-20T00:00Z)" };
        var duration = new Option<string?>("--for") { Description = "Length from now: 90m, 12h, 3d, 2w" };
        var comment = new Option<string?>("--comment", "-c") { Description = "Why (required)" };
        var by = new Option<string?>("--by") { Description = "Who (default: $USER)" };
        var command = new Command("add", "Add a silence: matching notices are withheld until it ends") { match, until, duration, comment, by };
        var target = Common(command);
        command.SetAction(async (parse, ct) =>
        {
            DateTimeOffset? untilValue = null;
            if (parse.GetValue(until) is { } u)
            {
                if (!DateTimeOffset.TryParse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    await Console.Error.WriteLineAsync("error: --until must be an ISO 8601 time, e.g. 2025-11-20T00:00Z").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                untilValue = parsed;
            }

            var request = new SilenceRequest
            {
                Matchers = [.. parse.GetValue(match) ?? []],
                Until = untilValue,
                Duration = parse.GetValue(duration),
                Comment = parse.GetValue(comment),
                CreatedBy = parse.GetValue(by) ?? Environment.UserName,
            };
            return await RunAsync(parse, target, async (client, json) =>
            {
                var view = await client.AddAsync(request, ct).ConfigureAwait(false);
                Console.WriteLine(json
                    ? JsonSerializer.Serialize(view, ApiJson.Options)
                    : $"silence {view.Id} added: {string.Join(' ', view.Matchers)} until {view.EndsUtc:yyyy-MM-dd HH:mm}Z ({view.Comment})");
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ListCommand()
    {
        var all = new Option<bool>("--all") { Description = "Include expired silences" };
        var command = new Command("list", "List silences (active and pending; --all adds expired ones)") { all };
        var target = Common(command);
        command.SetAction(async (parse, ct) => await RunAsync(parse, target, async (client, json) =>
        {
            var views = (await client.ListAsync(ct).ConfigureAwait(false)).Where(v => parse.GetValue(all) || v.Status != "expired").ToList();
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new SilenceListResponse(views), ApiJson.Options));
                return ExitCodes.Ok;
            }

            if (views.Count == 0)
            {
                Console.WriteLine("no silences");
                return ExitCodes.Ok;
            }

            var width = Math.Max("MATCHERS".Length, views.Max(v => string.Join(' ', v.Matchers).Length)) + 2;
            Console.WriteLine($"{"ID",-13}{"STATUS",-9}{"ENDS (UTC)",-18}{"MATCHERS".PadRight(width)}COMMENT");
            foreach (var v in views)
            {
                Console.WriteLine($"{v.Id,-13}{v.Status,-9}{v.EndsUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),-18}{string.Join(' ', v.Matchers).PadRight(width)}{v.Comment}{(v.CreatedBy is null ? "" : " — " + v.CreatedBy)}");
            }

            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }

    private static Command RemoveCommand()
    {
        var id = new Argument<string>("id") { Description = "Silence id (from 'silence list')" };
        var command = new Command("remove", "Remove a silence (notices it withheld are sent on the next evaluation if still firing)") { id };
        var target = Common(command);
        command.SetAction(async (parse, ct) => await RunAsync(parse, target, async (client, json) =>
        {
            var value = parse.GetValue(id)!;
            if (!SilenceStore.IsValidId(value))
            {
                await Console.Error.WriteLineAsync("error: a silence id is 12 lower-case hex characters (see 'silence list')").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (!await client.RemoveAsync(value, ct).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync($"error: no silence '{value}'").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            Console.WriteLine(json ? JsonSerializer.Serialize(new SilenceRemoved(value, Removed: true), ApiJson.Options) : $"silence {value} removed");
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Target target, Func<ISilenceClient, bool, Task<int>> action)
    {
        var configuration = LocalConfiguration.Build(new Dictionary<string, string?> { ["Tapewatch:Storage:ConnectionString"] = parse.GetValue(target.Storage) });
        var storageOptions = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        ISilenceClient client;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (storageOptions.IsConfigured)
        {
            var storage = new TapewatchStorage(Options.Create(storageOptions), configuration);
            client = new StoreClient(new SilenceStore(storage, TimeProvider.System));
        }
        else
        {
            if (!Uri.TryCreate(parse.GetValue(target.Url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync("error: --url must be an absolute http(s) URL").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            http.BaseAddress = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/api/");
            http.DefaultRequestHeaders.UserAgent.ParseAdd(AlertsServiceCollectionExtensions.UserAgent);
            var key = parse.GetValue(target.Key) ?? configuration["Tapewatch:Local:ApiKey"];
            if (!string.IsNullOrEmpty(key)) http.DefaultRequestHeaders.Add("x-functions-key", key);
            client = new ApiClient(http);
        }

        try
        {
            return await action(client, parse.GetValue(target.Json)).ConfigureAwait(false);
        }
        catch (SilenceValidationException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Parameter}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (UnauthorizedAccessException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.StatusCode is null)
        {
            await Console.Error.WriteLineAsync($"error: no Tapewatch host answers at {http.BaseAddress} ({ex.Message}); start './tapewatch run' or give --storage").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException or InvalidOperationException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message.Split('\n')[0]).ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private interface ISilenceClient
    {
        Task<SilenceView> AddAsync(SilenceRequest request, CancellationToken ct);

        Task<IReadOnlyList<SilenceView>> ListAsync(CancellationToken ct);

        Task<bool> RemoveAsync(string id, CancellationToken ct);
    }

    private sealed class StoreClient(SilenceStore store) : ISilenceClient
    {
        public async Task<SilenceView> AddAsync(SilenceRequest request, CancellationToken ct) =>
            SilenceView.Of(await store.CreateAsync(request, ct).ConfigureAwait(false), TimeProvider.System.GetUtcNow());

        public async Task<IReadOnlyList<SilenceView>> ListAsync(CancellationToken ct)
        {
            var now = TimeProvider.System.GetUtcNow();
            return [.. (await store.ListAsync(ct).ConfigureAwait(false)).Select(s => SilenceView.Of(s, now))];
        }

        public Task<bool> RemoveAsync(string id, CancellationToken ct) => store.DeleteAsync(id, ct);
    }

    private sealed class ApiClient(HttpClient http) : ISilenceClient
    {
        public async Task<SilenceView> AddAsync(SilenceRequest request, CancellationToken ct)
        {
            using var response = await http.PostAsJsonAsync(ApiRoutes.SilenceCreate.Route, request, ApiJson.Options, ct).ConfigureAwait(false);
            await EnsureAsync(response, ct).ConfigureAwait(false);
            return (await response.Content.ReadFromJsonAsync<SilenceView>(ApiJson.Options, ct).ConfigureAwait(false))!;
        }

        public async Task<IReadOnlyList<SilenceView>> ListAsync(CancellationToken ct)
        {
            using var response = await http.GetAsync(new Uri(ApiRoutes.SilenceList.Route, UriKind.Relative), ct).ConfigureAwait(false);
            await EnsureAsync(response, ct).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync<SilenceListResponse>(ApiJson.Options, ct).ConfigureAwait(false);
            return body?.Silences ?? [];
        }

        public async Task<bool> RemoveAsync(string id, CancellationToken ct)
        {
            using var response = await http.DeleteAsync(new Uri(ApiRoutes.SilenceDelete.Route.Replace("{id}", id, StringComparison.Ordinal), UriKind.Relative), ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            await EnsureAsync(response, ct).ConfigureAwait(false);
            return true;
        }

        private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken ct)
        {
            if (response.IsSuccessStatusCode) return;
            string? parameter = null, detail = null;
            try
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
                if (doc.RootElement.TryGetProperty("parameter", out var p)) parameter = p.GetString();
                if (doc.RootElement.TryGetProperty("detail", out var d)) detail = d.GetString();
            }
            catch (JsonException)
            {
            }

            if (response.StatusCode == HttpStatusCode.BadRequest) throw new SilenceValidationException(parameter ?? "request", detail ?? "rejected");
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new UnauthorizedAccessException("the host needs its key for silences: give --key (or set Tapewatch__Local__ApiKey)");
            }

            throw new HttpRequestException($"the host answered {(int)response.StatusCode}: {detail ?? response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}

/// <summary>What <c>silence remove ID --json</c> prints.</summary>
internal sealed record SilenceRemoved(string Id, bool Removed);
