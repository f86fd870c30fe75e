using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// Writes each notice as <c>&lt;id&gt;.json</c> and <c>&lt;id&gt;.txt</c> into a folder (the offline demo, audits). The file
/// name is the notification id, so a re-send rewrites the same files; each file is written to a temporary name first
/// and moved into place.
/// </summary>
public sealed partial class OutboxChannel(IOptions<OutboxOptions> options, ILogger<OutboxChannel> logger) : IAlertChannel
{
    public string Name => "outbox";

    public string Directory => Path.GetFullPath(options.Value.Directory ?? throw new InvalidOperationException("Tapewatch:Alerts:Outbox:Directory is not set."));

    public static string FileStem(AlertMessage m) => m.NotificationId.Replace(':', '_');

    public async Task SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var dir = Directory;
            System.IO.Directory.CreateDirectory(dir);
            var stem = Path.Combine(dir, FileStem(message));
            await WriteAsync(stem + ".json", JsonSerializer.Serialize(message, AlertMessageJson.Indented), cancellationToken).ConfigureAwait(false);
            await WriteAsync(stem + ".txt", AlertRenderer.Subject(message) + Environment.NewLine + Environment.NewLine + AlertRenderer.Text(message), cancellationToken).ConfigureAwait(false);
            LogWritten(stem);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AlertDeliveryException(Name, false, $"Outbox folder not writable: {ex.Message}");
        }
    }

    private static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, ct).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    [LoggerMessage(EventId = 1280, Level = LogLevel.Information, Message = "Outbox: wrote {File}.json/.txt")]
    private partial void LogWritten(string file);
}
