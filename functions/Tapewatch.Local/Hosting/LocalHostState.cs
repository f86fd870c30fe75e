using System.Diagnostics;
using System.Text.Json;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// While <c>./tapewatch run</c> (or <c>demo</c>) serves with its own Azurite, it records the Azurite connection
/// string (the public development key, not a secret) in a state file, so that <c>regime</c>, <c>health</c>,
/// <c>evaluate</c>, <c>silence</c> and <c>ingest</c> in another terminal use the same storage.
/// </summary>
internal sealed record LocalHostState(int ProcessId, int Port, string ConnectionString)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string FilePath =>
        Environment.GetEnvironmentVariable("TAPEWATCH_STATE_FILE") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Path.GetTempPath(), $"tapewatch-{Environment.UserName}", "local-host.json");

    public void Write()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>Removes the file if it is ours.</summary>
    public void Delete()
    {
        if (Read() is { } current && current.ProcessId == ProcessId)
        {
            try
            {
                File.Delete(FilePath);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The state of a running local host, or null (no file, unreadable, or its process is gone).</summary>
    public static LocalHostState? ReadLive()
    {
        var state = Read();
        if (state is null) return null;
        try
        {
            using var process = Process.GetProcessById(state.ProcessId);
            return process.HasExited ? null : state;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static LocalHostState? Read()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize<LocalHostState>(File.ReadAllText(FilePath), Json) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
