using Azure;

namespace Tapewatch.Infrastructure.Storage;

/// <summary>
/// Recognises a failed storage call. The Azure SDK throws <see cref="RequestFailedException"/> for an error answer, but an
/// <see cref="AggregateException"/> of them ("Retry failed after 4 tries") when storage cannot be reached at all.
/// </summary>
public static class StorageFailure
{
    public static bool Is(Exception ex) => ex switch
    {
        RequestFailedException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => i is RequestFailedException or HttpRequestException or IOException),
        _ => false,
    };

    /// <summary>A short, secret-free reason: "HTTP 409 EntityAlreadyExists", or "unreachable: Connection refused (127.0.0.1:10002)".</summary>
    public static string Describe(Exception ex) => ex switch
    {
        RequestFailedException { Status: > 0 } r => $"HTTP {r.Status} {r.ErrorCode}".TrimEnd(),
        RequestFailedException r => "unreachable: " + Innermost(r).Message,
        AggregateException a when a.InnerExceptions.Count > 0 => "unreachable after retries: " + Innermost(a.InnerExceptions[^1]).Message,
        _ => ex.Message,
    };

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }
}
