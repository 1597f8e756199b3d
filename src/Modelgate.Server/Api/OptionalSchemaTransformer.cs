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

        var innerType = type.GetGenericArguments()[0];
        var inner = await context.GetOrCreateSchemaAsync(innerType, null, cancellationToken);
        // A type argument loses its nullable annotation (Optional<string[]?> arrives as Optional<string[]>), and every
        // list in a change takes null (no limits in shadow mode, no allow-list): say so, as int? says it by itself.
        schema.Type = innerType.IsArray ? inner.Type | JsonSchemaType.Null : inner.Type;
        schema.Format = inner.Format;
        schema.Items = inner.Items;
        schema.Properties = inner.Properties;
        schema.Pattern = inner.Pattern;
    }
}
