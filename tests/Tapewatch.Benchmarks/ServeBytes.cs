using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tapewatch.Benchmarks;

/// <summary>
/// <c>serve-bytes FILE PORT</c>: the floor of ASP.NET Core on this machine for scripts/load-test.sh. A minimal API on the
/// same slim builder and Kestrel as the local host that answers GET /api/regime with a file's bytes read once at start:
/// no routing table of ours, no key check, no storage, no cache. What the local host costs above it is Tapewatch's.
/// </summary>
internal static class ServeBytes
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !File.Exists(args[0]) || !int.TryParse(args[1], out var port))
        {
            await Console.Error.WriteLineAsync("usage: serve-bytes FILE PORT").ConfigureAwait(false);
            return 2;
        }

        var bytes = await File.ReadAllBytesAsync(args[0]).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapGet("/api/regime", () => Results.Bytes(bytes, "application/json; charset=utf-8"));
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
