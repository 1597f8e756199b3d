using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>
/// Rewrites the OpenAI SDK's request body for a kind that refuses some of OpenAI's fields (see
/// <see cref="ProviderKind.RefusedFields"/>): the SDK itself sends <c>stream_options</c> on every stream and its token
/// limit as <c>max_completion_tokens</c>, which such a provider answers with a 4xx. The same rule as the gateway's
/// passthrough (<see cref="ProviderKind.SentAs"/>).
/// </summary>
internal sealed class RefusedFieldsPolicy(ProviderKind kind) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Conform(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Conform(message);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Conform(PipelineMessage message)
    {
        if (message.Request.Content is not { } content)
        {
            return;
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer, message.CancellationToken);
        if (JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is not JsonObject body || !body.Any(p => kind.SentAs(p.Key, body) != p.Key))
        {
            return;
        }

        var sent = new JsonObject();
        foreach (var name in body.Select(p => p.Key).ToList())
        {
            var target = kind.SentAs(name, body);
            var value = body[name];
            body.Remove(name);
            if (target is not null)
            {
                sent[target] = value;
            }
        }

        message.Request.Content = BinaryContent.Create(BinaryData.FromString(sent.ToJsonString()));
    }
}
