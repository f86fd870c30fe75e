using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tapewatch.Core.Hosting;

/// <summary>
/// Starts Azurite (from the repository's node_modules) on free loopback ports and stops it, with
/// every child, when disposed. Used by the local host and by the integration tests.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";

    // The well-known Azurite development key (public, documented; not a secret).
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private int _disposed;

    /// <summary>Started with a data folder: stop it gracefully so its tables are saved.</summary>
    private bool _persistent;

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>Finds node_modules/azurite by walking up from <paramref name="startDirectory"/> (and the app's base directory).</summary>
    public static string? FindAzuriteScript(string? startDirectory = null)
    {
        foreach (var start in new[] { startDirectory, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var script = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
                if (File.Exists(script)) return script;
            }
        }

        return null;
    }

    public static string? FindNode()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    /// <summary>
    /// Starts Azurite. <paramref name="dataDirectory"/> null = in-memory persistence.
    /// Throws <see cref="AzuriteUnavailableException"/> with a clear reason when it cannot.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(string? dataDirectory = null, string? searchFrom = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var node = FindNode() ?? throw new AzuriteUnavailableException("Node.js was not found on PATH (Azurite needs Node 20+). Install Node, or set Tapewatch__Storage__ConnectionString.");
        var script = FindAzuriteScript(searchFrom) ?? throw new AzuriteUnavailableException("Azurite is not installed: run 'npm ci' in the repository root (node_modules/azurite is missing), or set Tapewatch__Storage__ConnectionString.");

        // The free ports are chosen before Azurite binds them: another process may take one in between (EADDRINUSE). Then
        // Azurite exits at once, and new ports are tried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(node, script, dataDirectory, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (AzuriteUnavailableException ex) when (attempt < MaxPortAttempts && ex.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
            }
        }
    }

    private const int MaxPortAttempts = 4;

    private static async Task<AzuriteProcess> StartOnceAsync(string node, string script, string? dataDirectory, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var (blob, queue, table) = FreePorts();
        var psi = new ProcessStartInfo(node)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add(script);
        foreach (var arg in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--disableTelemetry",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        if (dataDirectory is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(Path.GetFullPath(dataDirectory));
            psi.ArgumentList.Add("--silent");
        }

        var process = Process.Start(psi) ?? throw new AzuriteUnavailableException("Azurite could not be started.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(process, blob, queue, table) { _persistent = dataDirectory is not null };
        try
        {
            await azurite.WaitUntilReadyAsync(timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or AzuriteUnavailableException)
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            string log;
            lock (output) log = output.ToString();
            throw new AzuriteUnavailableException($"Azurite did not become ready: {ex.Message} {log}".Trim());
        }

        return azurite;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var pending = new HashSet<int> { TablePort, QueuePort, BlobPort };
        while (pending.Count > 0)
        {
            if (_process.HasExited)
            {
                // Exited: let the redirected output drain, so the error names the reason (e.g. EADDRINUSE).
                using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
                {
                    try
                    {
                        await _process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                throw new AzuriteUnavailableException($"Azurite exited with code {_process.ExitCode}.");
            }

            if (deadline.Elapsed > timeout) throw new TimeoutException($"endpoints on ports {string.Join(", ", pending)} did not answer within {timeout.TotalSeconds:0} s.");
            foreach (var port in pending.ToArray())
            {
                try
                {
                    // Any HTTP answer (even 400) means the service is listening.
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/{AccountName}"), cancellationToken).ConfigureAwait(false);
                    pending.Remove(port);
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }

            if (pending.Count > 0) await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills Azurite abruptly (fault-injection tests).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_persistent) await StopGracefullyAsync().ConfigureAwait(false);
        Kill();
        _process.Dispose();
    }

    /// <summary>
    /// SIGTERM, then up to 10 s for Azurite to save its table database (it is written on an interval, so a
    /// kill loses recent writes). Only for a data folder: in-memory instances are simply killed.
    /// </summary>
    private async Task StopGracefullyAsync()
    {
        if (OperatingSystem.IsWindows() || _process.HasExited) return;
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
            if (kill is null) return;
            await kill.WaitForExitAsync().ConfigureAwait(false);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or OperationCanceledException)
        {
            // No kill(1), or it did not stop in time: Kill() follows.
        }
    }

    /// <summary>Three distinct free loopback ports (the listeners stay open until all three are chosen, so none repeats).</summary>
    private static (int Blob, int Queue, int Table) FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var l in listeners) l.Start();
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}

public sealed class AzuriteUnavailableException(string message) : Exception(message);
