using Modelgate.Core.Catalog;

namespace Modelgate.Core.Pipeline;

/// <summary>What virtual keys have spent against their budgets, without a database read on the request path.</summary>
public interface IKeySpend
{
    /// <summary>The key's state against its budget now, or null when it has none.</summary>
    BudgetState? StateOf(VirtualKey key);
}
