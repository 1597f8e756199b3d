using Modelgate.Core.Experiments;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Server.Gateway.Translation;
using Modelgate.Server.Gateway.Usage;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Gateway;

/// <summary>What the gateway's endpoints need, in one place: the catalog, the resolver and the ways to reach a provider.</summary>
internal sealed record GatewayServices(
    CurrentCatalog Catalog,
    ModelResolver Resolver,
    TimeProvider Time,
    GatewayOptions Options,
    OpenAIPassthrough OpenAI,
    AnthropicPassthrough Anthropic,
    TranslatingChat Chat,
    TranslatingEmbeddings Embeddings,
    GatewayConcurrency Concurrency,
    GatewayDispatch Dispatch,
    IUsageRecorder Usage,
    SpendLedger Spend,
    GatewayTelemetry Telemetry,
    Limiter Limits,
    TokenCounting Counting,
    ShadowCalls Shadows);
