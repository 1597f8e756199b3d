namespace Modelgate.Core.Catalog;

/// <summary>Whether an experiment may route calls (within its start and end) or has been stopped for good.</summary>
public enum ExperimentState
{
    Running,
    Stopped,
}
