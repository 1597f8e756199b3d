namespace Modelgate.Server.Hosting;

/// <summary>How often the guardrails of live experiments are checked (<c>MODELGATE_EXPERIMENT_CHECK_SECONDS</c>; 0: never).</summary>
internal sealed record ExperimentMonitorOptions(TimeSpan CheckInterval)
{
    public const string Setting = "MODELGATE_EXPERIMENT_CHECK_SECONDS";

    public static ExperimentMonitorOptions From(IConfiguration configuration) =>
        new(SettingValues.Seconds(configuration, Setting, 30, allowZero: true));
}
