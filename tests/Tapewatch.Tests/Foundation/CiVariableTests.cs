using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Foundation;

/// <summary>Under CI a missing dependency (Azurite, Chromium) fails instead of skipping; which values of CI count.</summary>
public sealed class CiVariableTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("github-actions", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    public void CI_counts_as_set_for_any_value_but_empty_false_or_0(string? value, bool expected) =>
        Assert.Equal(expected, TestPaths.IsCiValue(value));
}
