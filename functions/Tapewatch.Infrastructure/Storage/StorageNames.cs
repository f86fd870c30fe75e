namespace Tapewatch.Infrastructure.Storage;

/// <summary>Every table the app uses (declared in infra/ as well).</summary>
public static class TableNames
{
    public const string EtfSessions = "EtfSessions";
    public const string EtfRevisions = "EtfRevisions";
    public const string WeeklyFlows = "WeeklyFlows";
    public const string WeeklyRevisions = "WeeklyRevisions";
    public const string DerivativesHourly = "DerivativesHourly";
    public const string DerivativesDaily = "DerivativesDaily";
    public const string IngestionRuns = "IngestionRuns";
    public const string Evaluations = "Evaluations";
    public const string EvaluationHistory = "EvaluationHistory";
    public const string Alerts = "Alerts";
    public const string Notifications = "Notifications";
    public const string Silences = "Silences";

    public static IReadOnlyList<string> All { get; } =
    [
        EtfSessions, EtfRevisions, WeeklyFlows, WeeklyRevisions, DerivativesHourly, DerivativesDaily,
        IngestionRuns, Evaluations, EvaluationHistory, Alerts, Notifications, Silences,
    ];
}

/// <summary>App-setting names shared by the Function app's binding expressions and the local host.</summary>
public static class AppSettingNames
{
    /// <summary>Queue of evaluation requests (<c>%EvaluationQueueName%</c> in the queue trigger).</summary>
    public const string EvaluationQueueName = "EvaluationQueueName";

    public const string DefaultEvaluationQueueName = "evaluations";

    public static string PoisonQueueOf(string queueName) => queueName + "-poison";
}
