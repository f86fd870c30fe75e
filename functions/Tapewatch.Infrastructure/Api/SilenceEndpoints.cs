using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;

namespace Tapewatch.Infrastructure.Api;

/// <summary>A silence as the API and the CLI show it.</summary>
public sealed record SilenceView(
    string Id,
    IReadOnlyList<string> Matchers,
    DateTimeOffset StartsUtc,
    DateTimeOffset EndsUtc,
    string Comment,
    string? CreatedBy,
    DateTimeOffset CreatedUtc,
    string Status)
{
    public static SilenceView Of(Silence s, DateTimeOffset now) =>
        new(s.Id, [.. s.Matchers.Select(m => m.ToString())], s.StartsUtc, s.EndsUtc, s.Comment, s.CreatedBy, s.CreatedUtc, s.StatusAt(now));
}

/// <summary>The body of GET /api/silences (and of <c>./tapewatch silence list --json</c>).</summary>
public sealed record SilenceListResponse(IReadOnlyList<SilenceView> Silences);

/// <summary>POST /api/silences (admin) — body: {"matchers":["scenario=Caution"],"duration":"3d" | "until":"…","comment":"…","createdBy":"…"}.</summary>
public sealed class SilenceCreateEndpoint(SilenceStore store, TimeProvider time) : IApiEndpoint
{
    public const int MaxBodyBytes = 16 * 1024;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return Problems.PayloadTooLarge(MaxBodyBytes);
        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0) read += n;
        if (read > MaxBodyBytes) return Problems.PayloadTooLarge(MaxBodyBytes);
        if (read == 0) return Problems.BadRequest("body", "send a JSON object: {\"matchers\":[\"scenario=Caution\"],\"duration\":\"3d\",\"comment\":\"why\"}");

        SilenceRequest? body;
        try
        {
            body = JsonSerializer.Deserialize<SilenceRequest>(buffer.AsSpan(0, read), ApiJson.Options);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest(ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", "the body is not a valid silence request: " + ex.Message.Split('.')[0]);
        }

        if (body is null) return Problems.BadRequest("body", "send a JSON object");
        try
        {
            var silence = await store.CreateAsync(body, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(SilenceView.Of(silence, time.GetUtcNow()), ApiJson.Options, statusCode: StatusCodes.Status201Created);
        }
        catch (SilenceValidationException ex)
        {
            return Problems.BadRequest(ex.Parameter, ex.Message);
        }
    }
}

/// <summary>GET /api/silences[?status=active|expired|pending] — every silence with its status, latest end first.</summary>
public sealed class SilenceListEndpoint(SilenceStore store, TimeProvider time) : IApiEndpoint
{
    private static readonly string[] Statuses = ["active", "expired", "pending"];

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var status = request.Query["status"];
        if (status.Count > 1 || (status.Count == 1 && !Statuses.Contains(status[0], StringComparer.OrdinalIgnoreCase)))
        {
            return Problems.BadRequest("status", "'status' must be one of active, expired, pending (once)");
        }

        var now = time.GetUtcNow();
        var views = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Select(s => SilenceView.Of(s, now));
        if (status.Count == 1) views = views.Where(v => string.Equals(v.Status, status[0], StringComparison.OrdinalIgnoreCase));
        return Problems.Ok(new SilenceListResponse([.. views]));
    }
}

/// <summary>DELETE /api/silences/{id} (admin) — 204, or 404 when there is no such silence.</summary>
public sealed class SilenceDeleteEndpoint(SilenceStore store) : IApiEndpoint
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var id = request.RouteValues.TryGetValue("id", out var value) ? value?.ToString() : null;
        if (!SilenceStore.IsValidId(id)) return Problems.BadRequest("id", "a silence id is 12 lower-case hex characters (see GET /api/silences)");
        return await store.DeleteAsync(id!, cancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : Problems.NotFound($"No silence '{id}'.");
    }
}
