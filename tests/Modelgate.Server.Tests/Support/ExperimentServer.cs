using Modelgate.Storage;

namespace Modelgate.Server.Tests.Support;

/// <summary>A server that checks guardrails every 200 ms, so a test sees a guardrail stop the experiment by itself.</summary>
public abstract class ExperimentServer(DatabaseKind kind) : ServerFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?>? Settings { get; } = new Dictionary<string, string?> { ["MODELGATE_EXPERIMENT_CHECK_SECONDS"] = "0.2" };
}

public sealed class SqliteExperimentServer() : ExperimentServer(DatabaseKind.Sqlite);

public sealed class PostgresExperimentServer() : ExperimentServer(DatabaseKind.Postgres);
