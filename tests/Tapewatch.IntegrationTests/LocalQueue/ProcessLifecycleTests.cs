using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.LocalQueue;

/// <summary>The real CLI process: `run` starts its own Azurite, serves (with the key from the environment), and on a stop signal leaves nothing behind.</summary>
public sealed partial class ProcessLifecycleTests
{
    [Fact]
    public async Task Run_started_as_a_process_stops_its_Azurite_on_a_stop_signal()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals only");
        var ct = TestContext.Current.CancellationToken;
        var dll = Path.Combine(TestPaths.RepoRoot, "functions", "Tapewatch.Local", "bin", TestPaths.Configuration, "net10.0", "Tapewatch.Local.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var port = Foundation.LocalHostTests.FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepoRoot };
        foreach (var a in new[] { dll, "run", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Foundation.LocalHostTests.Offline) psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        psi.Environment["TAPEWATCH_STATE_FILE"] = Path.Combine(Path.GetTempPath(), $"tapewatch-test-{Guid.NewGuid():N}.json");
        psi.Environment.Remove("Tapewatch__Storage__ConnectionString");
        var key = "process-key-" + Guid.NewGuid().ToString("N");
        psi.Environment["Tapewatch__Local__ApiKey"] = key;

        using var process = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var serving = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains("Serving.", StringComparison.Ordinal)) serving.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await serving.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
            string text;
            lock (output) text = output.ToString();
            var tablePort = int.Parse(AzuritePorts().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await ListensAsync(tablePort), "Azurite should be listening while the host runs");
            Assert.True(File.Exists(psi.Environment["TAPEWATCH_STATE_FILE"]), "the state file is written while serving");

            // The key from the environment (Tapewatch__Local__ApiKey) guards the private routes, not the public ones.
            using (var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/api/") })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("flows", UriKind.Relative), ct)).StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(new Uri("evaluations", UriKind.Relative), null, ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("health", UriKind.Relative), ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("flows?code=" + key, UriKind.Relative), ct)).StatusCode);
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync(ct);
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

            Assert.Equal(0, process.ExitCode);
            Assert.False(await ListensAsync(tablePort), "Azurite must be stopped with the host");
            Assert.False(File.Exists(psi.Environment["TAPEWATCH_STATE_FILE"]), "the state file is removed on exit");
            lock (output) Assert.DoesNotContain(key, output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Azurite on 127\.0\.0\.1 \(table (\d+)")]
    private static partial Regex AzuritePorts();
}
