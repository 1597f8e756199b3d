namespace Modelgate.Core.Catalog;

/// <summary>What a model does: chat completions or embeddings.</summary>
public enum ModelKind
{
    Chat,
    Embedding,
}

/// <summary>Converts <see cref="ModelKind"/> to and from its wire names.</summary>
public static class ModelKinds
{
    public static IReadOnlyList<string> AllNames { get; } = ["chat", "embedding"];

    public static string ToName(this ModelKind kind) => kind == ModelKind.Chat ? "chat" : "embedding";

    public static bool TryParse(string? name, out ModelKind kind)
    {
        switch (name)
        {
            case "chat":
                kind = ModelKind.Chat;
                return true;
            case "embedding":
                kind = ModelKind.Embedding;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
