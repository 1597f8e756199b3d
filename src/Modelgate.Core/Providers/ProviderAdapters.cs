using Modelgate.Core.Catalog;

namespace Modelgate.Core.Providers;

/// <summary>
/// The SDK adapter of each provider kind, as its descriptor names it (<see cref="ProviderKind.Adapter"/>): the one
/// place the client cache and the connection test get clients from.
/// </summary>
public sealed class ProviderAdapters
{
    public static ProviderAdapters Default { get; } = new();

    public IProviderAdapter For(ProviderKind kind) => kind.Adapter;
}
