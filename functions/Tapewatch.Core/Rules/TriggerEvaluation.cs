namespace Tapewatch.Core.Rules;

/// <summary>A scenario's trigger condition with its streak progress.</summary>
/// <param name="Length">Sessions in the current run (k).</param>
/// <param name="Target">Sessions the trigger needs (n).</param>
/// <param name="Unknown">A data gap makes the run unknown (k &lt; n and the run may go on).</param>
/// <param name="EpisodeStart">The session the trigger was first met in this run (the n-th of the run).</param>
public sealed record TriggerEvaluation(ConditionResult Condition, int Length, int Target, bool Unknown, DateOnly? EpisodeStart);

internal static class ConditionFactory
{
    public static ConditionResult Unknown(string id, string text, string threshold, string dataset, string reason, bool isTrigger = false, bool isRiskFlag = false, DateOnly? asOf = null) => new()
    {
        Id = id,
        Text = text,
        Threshold = threshold,
        IsTrigger = isTrigger,
        IsRiskFlag = isRiskFlag,
        Met = null,
        Dataset = dataset,
        AsOf = asOf,
        UnknownReason = reason,
    };

    /// <summary>All met → true; any not met → false; otherwise (some unknown) → null.</summary>
    public static bool? AllMet(IEnumerable<ConditionResult> conditions)
    {
        var unknown = false;
        foreach (var c in conditions)
        {
            if (c.Met == false) return false;
            if (c.Met is null) unknown = true;
        }

        return unknown ? null : true;
    }
}
