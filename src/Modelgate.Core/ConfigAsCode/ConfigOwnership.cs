using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.ConfigAsCode;

/// <summary>What a file owns once applied: every object it names (see <see cref="ManagedObjects"/>).</summary>
public static class ConfigOwnership
{
    public static ManagedObjects Of(ConfigDocument document, string source, string sha256)
    {
        var objects = new List<string>();
        objects.AddRange(document.Providers.Where(p => p.Name is not null).Select(p => ManagedObjects.Key(ManagedObjects.Provider, p.Name!)));
        objects.AddRange(document.Models.Where(m => m.Model is not null).Select(m => ManagedObjects.Key(ManagedObjects.Model, m.Model!)));
        objects.AddRange(document.Defaults.Keys.Select(p => ManagedObjects.Key(ManagedObjects.Default, p)));
        objects.AddRange(document.Fallbacks.Keys.Select(p => ManagedObjects.Key(ManagedObjects.Fallback, p)));
        objects.AddRange(document.Aliases.Keys.Select(a => ManagedObjects.Key(ManagedObjects.Alias, a)));
        objects.AddRange(document.Experiments.Where(e => e.Name is not null).Select(e => ManagedObjects.Key(ManagedObjects.Experiment, e.Name!)));
        return new ManagedObjects(source, sha256, objects);
    }
}
