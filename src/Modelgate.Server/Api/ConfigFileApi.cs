using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Modelgate.ConfigFile;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>/api/v1/config/export|plan|apply</c>: configuration as code. Export writes the catalog as a file (keys as
/// references); plan says what a file would change; apply makes the catalog match it as one version with one audit
/// entry, refused when the catalog moved past the plan's version. Validation errors are keyed by their path in the
/// document (<c>models[2].parameters.temperature</c>), so a tool can point at the file's line.
/// </summary>
internal static class ConfigFileApi
{
    public static RouteGroupBuilder MapConfigFileApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/config").WithTags("Configuration as code");
        group.MapGet("/export", ExportAsync).WithName("ExportConfig")
            .WithSummary("The catalog as a configuration file (YAML; ?format=json for JSON). Keys are references (env:NAME), never values.");
        group.MapPost("/plan", PlanAsync).WithName("PlanConfig")
            .WithSummary("What applying a configuration document would create, change and delete (keys only as changed).")
            .Produces<ConfigPlan>().ProducesValidationProblem();
        group.MapPost("/drift", DriftAsync).WithName("DriftConfig")
            .WithSummary("What was changed outside a configuration document: its plan, plus every object it does not name (as removed).")
            .Produces<ConfigPlan>().ProducesValidationProblem();
        group.MapPost("/apply", ApplyAsync).WithName("ApplyConfig")
            .WithSummary("Make the catalog match a configuration document: one version, one audit entry; 409 if the catalog moved past based_on_version.")
            .Produces<ConfigApplied>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ExportAsync(HttpContext context, ConfigFileStore files)
    {
        var format = context.Request.Query["format"].ToString();
        if (format is not ("" or "yaml" or "json"))
        {
            return JsonBody.Invalid("format", "format is yaml (the default) or json");
        }

        var (document, version) = await files.ExportAsync(context.RequestAborted);
        context.Response.Headers["x-modelgate-config-version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return format == "json"
            ? TypedResults.Text(ConfigJson.ToJson(document).ToJsonString(ConfigJson.WriteOptions), "application/json")
            : TypedResults.Text(ConfigFileWriter.Write(document), "application/yaml");
    }

    private static async Task<IResult> PlanAsync(HttpContext context, ConfigFileStore files)
    {
        var (request, document, error) = await ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        var result = await files.PlanAsync(document!, request!.Keys ?? [], request.Prune, Source(request), Sha256(request), context.RequestAborted);
        return result.Value is { } plan ? TypedResults.Ok(plan) : ApiResults.Problem(result.Error!);
    }

    private static async Task<IResult> DriftAsync(HttpContext context, ConfigFileStore files)
    {
        var (request, document, error) = await ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        var result = await files.DriftAsync(document!, request!.Keys ?? [], Source(request), Sha256(request), context.RequestAborted);
        return result.Value is { } plan ? TypedResults.Ok(plan) : ApiResults.Problem(result.Error!);
    }

    private static async Task<IResult> ApplyAsync(HttpContext context, ConfigFileStore files)
    {
        var (request, document, error) = await ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        var result = await files.ApplyAsync(document!, request!.Keys ?? [], request.Prune, Source(request), Sha256(request), request.BasedOnVersion, context.User.Actor(), context.RequestAborted);
        return result.Value is { } applied ? TypedResults.Ok(applied) : ApiResults.Problem(result.Error!);
    }

    private static async Task<(ConfigFileRequest? Request, ConfigDocument? Document, IResult? Error)> ReadAsync(HttpContext context)
    {
        var (request, error) = await JsonBody.ReadAsync<ConfigFileRequest>(context);
        if (request is null)
        {
            return (null, null, error);
        }

        if (request.Document.ValueKind == JsonValueKind.Undefined)
        {
            return (null, null, JsonBody.Invalid("document", "document is required: the configuration file read as JSON"));
        }

        var (document, path, why) = ConfigJson.FromJson(request.Document);
        if (document is null)
        {
            // Keyed by the path in the document, like the validators' errors.
            return (null, null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [why] }, detail: $"{(path.Length > 0 ? path + ": " : "")}{why}",
                title: "The configuration file is not valid"));
        }

        if (request.Sha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)))
        {
            return (null, null, JsonBody.Invalid("sha256", "sha256 is the file's SHA-256 as 64 lower-case hex digits"));
        }

        if (request.Source is { Length: > 1000 })
        {
            return (null, null, JsonBody.Invalid("source", "source is the file's name, at most 1000 characters"));
        }

        return (request, document, null);
    }

    private static string Source(ConfigFileRequest request) => string.IsNullOrWhiteSpace(request.Source) ? "api" : request.Source;

    // Sent by the CLI (the file's bytes); otherwise the document's own.
    private static string Sha256(ConfigFileRequest request) =>
        request.Sha256 ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Document.GetRawText())));
}
