namespace Modelgate.Core.Limits;

/// <summary>What a limit belongs to: a provider, a model, a virtual key, or a client address (the admin sign-in throttle).</summary>
public enum LimitScope
{
    Provider,
    Model,
    Key,
    Address,
}
