namespace Modelgate.Core.Catalog;

/// <summary>What the console's provider form shows for a kind: an example address and a sentence each on address and key.</summary>
public sealed record ProviderFormHints(string BaseUrlExample, string BaseUrlHelp, string KeyHelp);
