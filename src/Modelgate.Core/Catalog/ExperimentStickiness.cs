namespace Modelgate.Core.Catalog;

/// <summary>What an experiment hashes to keep a caller on one variant.</summary>
public enum ExperimentStickiness
{
    /// <summary>The session id (<c>x-modelgate-session</c>, the OpenAI <c>user</c> field, Anthropic <c>metadata.user_id</c>); each request when there is none.</summary>
    Session,

    /// <summary>The virtual key (then the session, then the request, when the call has no key).</summary>
    Key,

    /// <summary>Each request on its own.</summary>
    Request,
}
