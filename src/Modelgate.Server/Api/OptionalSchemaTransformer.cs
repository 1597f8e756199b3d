using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Modelgate.Core.Catalog;

namespace Modelgate.Server.Api;

/// <summary>Documents an <see cref="Optional{T}"/> property as the <c>T</c> it carries (absent = leave unchanged).</summary>
internal sealed class OptionalSchemaTransformer : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Optional<>))
        {
            return;
        }

        var inner = await context.GetOrCreateSchemaAsync(type.GetGenericArguments()[0], null, cancellationToken);
        schema.Type = inner.Type;
        schema.Format = inner.Format;
        schema.Items = inner.Items;
        schema.Properties = inner.Properties;
        schema.Pattern = inner.Pattern;
    }
}
