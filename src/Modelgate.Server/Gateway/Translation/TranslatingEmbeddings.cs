using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Serves an OpenAI-format embeddings request from a provider that does not speak OpenAI's API (Ollama), through
/// the provider's Microsoft.Extensions.AI embedding generator: <c>input</c> (a string or an array of strings),
/// <c>dimensions</c>, and <c>encoding_format</c> float or base64 (little-endian float32, as OpenAI sends it).
/// </summary>
internal sealed class TranslatingEmbeddings(ModelClients models)
{
    /// <summary>The most inputs one request may carry, as at OpenAI.</summary>
    public const int MaxInputs = 2048;

    /// <summary>
    /// Opens one model of the chain: the embeddings to send, a 400 for input the provider cannot take, or an exception the
    /// next model may take over.
    /// </summary>
    public async Task<GatewayAnswer> OpenAsync(GatewayRequest request, ResolvedModel resolved, CancellationToken beforeFirstByte)
    {
        const GatewayFormat format = GatewayFormat.OpenAI;
        var (inputs, options, base64, error) = Read(request.Body);
        if (error is not null)
        {
            return GatewayAnswer.Error(GatewayErrors.Write(format, 400, error.Value.Message, param: error.Value.Param));
        }

        IEmbeddingGenerator<string, Embedding<float>> generator;
        try
        {
            generator = models.EmbeddingGenerator(resolved);
        }
        catch (ModelgateConfigurationException)
        {
            // The provider kind has no embeddings API (a catalog the validation let through): said to the caller, in its format.
            return GatewayAnswer.Error(GatewayErrors.Write(format, 400,
                $"'{request.Requested}' resolves to {resolved.Provider.Kind.ToName()} provider '{resolved.Provider.Name}', which has no embeddings.", param: "model"));
        }

        // The provider's limits, retries, breaker and first-byte timeout are the generator's (ModelClients).
        var embeddings = await generator.GenerateAsync(inputs!, options, beforeFirstByte);
        if (embeddings.Count != inputs!.Count)
        {
            // An answer that cannot be used: the provider's fault, so the next model may serve.
            throw new UpstreamFailedException(502, GatewayErrors.Write(format, 502, $"{GatewayErrors.Who(resolved)} sent {embeddings.Count} embeddings for {inputs.Count} inputs.", code: "upstream_invalid"));
        }

        return new GatewayAnswer(caller => WriteAsync(caller, embeddings, inputs, base64, resolved));
    }

    private static async Task WriteAsync(HttpContext context, GeneratedEmbeddings<Embedding<float>> embeddings, List<string> inputs, bool base64, ResolvedModel resolved)
    {
        GatewayErrors.ServedBy(context, resolved);
        // Without usage from the provider, the tokenizer counts the inputs (marked estimated).
        var reported = Core.Usage.TokenCounts.From(embeddings.Usage, requireOutput: false)?.Input;
        if (Usage.GatewayCall.Of(context) is { } call)
        {
            if (reported is { } known)
            {
                call.Tokens = new Core.Usage.TokenCounts(known, 0);
            }
            else
            {
                call.CountLater(exactChars => Core.Usage.TokenEstimator.EstimateInputs(inputs, exactChars));
            }
        }

        // The caller's usage field: as reported, or counted now when the provider gave none.
        var tokens = reported ?? Core.Usage.TokenEstimator.EstimateInputs(inputs).Input;
        Usage.GatewayCall.Of(context)?.Complete();
        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            data = embeddings.Select((e, i) => new { @object = "embedding", index = i, embedding = base64 ? (object)Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span)) : e.Vector.ToArray() }),
            model = resolved.Model.ModelId,
            usage = new { prompt_tokens = tokens, total_tokens = tokens },
        }, context.RequestAborted);
    }

    private static (List<string>? Inputs, EmbeddingGenerationOptions Options, bool Base64, (string Message, string Param)? Error) Read(JsonObject body)
    {
        var options = new EmbeddingGenerationOptions();
        List<string> inputs;
        switch (body["input"])
        {
            case JsonValue one when one.TryGetValue(out string? text):
                inputs = [text];
                break;
            case JsonArray many when many.Count is > 0 and <= MaxInputs && many.All(i => i is JsonValue v && v.TryGetValue(out string? _)):
                inputs = [.. many.Select(i => i!.GetValue<string>())];
                break;
            case JsonArray { Count: > MaxInputs } many:
                return (null, options, false, ($"'input' may hold at most {MaxInputs} texts; this one has {many.Count}.", "input"));
            default:
                return (null, options, false, ("'input' must be a string or a non-empty array of strings (token arrays are not supported for this model's provider).", "input"));
        }

        if (body["dimensions"] is { } dimensions)
        {
            if (dimensions is not JsonValue d || !d.TryGetValue(out int count) || count < 1)
            {
                return (null, options, false, ("'dimensions' must be a positive integer.", "dimensions"));
            }

            options.Dimensions = count;
        }

        var encoding = body["encoding_format"] is JsonValue f && f.TryGetValue(out string? name) ? name : body["encoding_format"] is null ? "float" : null;
        if (encoding is not ("float" or "base64"))
        {
            return (null, options, false, ("'encoding_format' must be 'float' or 'base64'.", "encoding_format"));
        }

        return (inputs, options, encoding == "base64", null);
    }
}
