namespace Tapewatch.Infrastructure.Hosting;

/// <summary>How Tapewatch names itself to the outside world.</summary>
public static class AppIdentity
{
    /// <summary>The User-Agent every outbound HTTP client sends.</summary>
    public const string UserAgent = "Tapewatch/1.0 (+https://github.com/tapewatch)";
}
