using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Tapewatch.InfraTests;

/// <summary>What kind of image a published .dll is: IL only, or ReadyToRun (precompiled native code) for which OS and CPU.</summary>
internal static class ReadyToRunImage
{
    /// <summary>A ReadyToRun image for Linux x64: crossgen2 writes the machine as AMD64 XOR the Linux marker (0x7B79).</summary>
    public const string LinuxX64 = "ReadyToRun linux-x64";

    /// <summary>A managed assembly without a single method body (a facade): nothing to precompile.</summary>
    public const string NoCode = "no code";

    public static string Inspect(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var name = Path.GetFileName(path);
        if (pe.PEHeaders.CorHeader is not { } cor) return $"{name}: not managed";
        // A ReadyToRun image carries its native code's header in the CLI header's ManagedNativeHeader directory.
        if (cor.ManagedNativeHeaderDirectory.Size == 0)
        {
            var metadata = pe.GetMetadataReader();
            return metadata.MethodDefinitions.Any(m => metadata.GetMethodDefinition(m).RelativeVirtualAddress != 0) ? $"{name}: IL only" : NoCode;
        }

        return (ushort)pe.PEHeaders.CoffHeader.Machine == ((ushort)Machine.Amd64 ^ 0x7B79)
            ? LinuxX64
            : $"{name}: ReadyToRun for machine 0x{(ushort)pe.PEHeaders.CoffHeader.Machine:X4}";
    }
}
