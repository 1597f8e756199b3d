using Modelgate.Storage.Audit;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/audit</c>: every change, newest first, with before/after snapshots (secrets redacted).</summary>
internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").WithName("ListAudit")
            .WithSummary("Page through the audit log, newest first; filter by entity_type and entity_id.")
            .Produces<Page<AuditEntryView>>().ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, AuditQuery audit)
    {
        var query = new QueryReader(context.Request.Query);
        var (limit, offset) = query.Paging();
        var entityType = query.OneOf("entity_type", AuditQuery.EntityTypes);
        var entityId = query.Text("entity_id", 200);
        return query.HasErrors ? query.Error : TypedResults.Ok(await audit.ListAsync(limit, offset, entityType, entityId, context.RequestAborted));
    }
}
