namespace Modelgate.Core.Catalog;

/// <summary>
/// A name clients may send as <c>model</c> (<c>smart</c>, <c>cheap</c>, or an old model id) that resolves to one configured
/// model. A deprecated alias is a redirect from a retired model name: calls through it still work, and the gateway says so.
/// </summary>
public sealed record ModelAlias(string Name, Guid ModelId, string? Description, bool Deprecated);
