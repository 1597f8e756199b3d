using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Server.Auth;
using Modelgate.Storage.Experiments;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>POST /api/v1/feedback</c>: a quality signal about a call, named by its request id or its session. Applications
/// send it with their gateway key (a virtual key, which may only give feedback on its own calls); the administrator's
/// token works too.
/// </summary>
internal static class FeedbackApi
{
    /// <summary>The body: exactly one of <see cref="RequestId"/> and <see cref="SessionId"/>, a metric, a number or boolean.</summary>
    public sealed record FeedbackRequest(string? RequestId, string? SessionId, string? Metric, JsonElement? Value);

    public static RouteGroupBuilder MapFeedbackApi(this RouteGroupBuilder api)
    {
        // Not behind the admin policy: a virtual key is checked here, and only a credential that is not one is tried as
        // the admin token (so an application's key never counts as a failed admin sign-in).
        api.MapPost("/feedback", AddAsync).AllowAnonymous().WithTags("Experiments").WithName("AddFeedback")
            .WithSummary("Feedback on a call: {\"request_id\": \"<x-modelgate-request-id>\"} or {\"session_id\": \"...\"} (the session's latest call), "
                + "a metric (1–64 letters, digits, '_', '-', '.') and a value (a number, or true/false as 1/0). One value per call and metric: "
                + "sending it again replaces it (200; 201 when new). Authorization: a virtual key (its own calls only) or the admin token.")
            .Accepts<FeedbackRequest>("application/json").Produces<FeedbackView>(StatusCodes.Status201Created).Produces<FeedbackView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> AddAsync(HttpContext context, FeedbackStore store, CurrentCatalog catalog, TimeProvider time)
    {
        var (caller, refused) = await CallerAsync(context, catalog, time);
        if (refused is not null)
        {
            return refused;
        }

        var (request, error) = await JsonBody.ReadAsync<FeedbackRequest>(context);
        if (error is not null)
        {
            return error;
        }

        Guid? requestId = null;
        if (request!.RequestId is { } text)
        {
            if (!Guid.TryParse(text, out var parsed))
            {
                return JsonBody.Invalid("request_id", "request_id must be the call's x-modelgate-request-id (a UUID)");
            }

            requestId = parsed;
        }

        if (Value(request.Value) is not { } value)
        {
            return JsonBody.Invalid("value", "value is required: a number, or true or false (stored as 1 or 0)");
        }

        var result = await store.AddAsync(new FeedbackInput(requestId, request.SessionId, request.Metric, value), caller?.Id, context.RequestAborted);
        if (result.Value is not { } feedback)
        {
            return ApiResults.Problem(result.Error!);
        }

        return feedback.Replaced ? TypedResults.Ok(feedback) : TypedResults.Json(feedback, statusCode: StatusCodes.Status201Created);
    }

    private static double? Value(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.Number when value.Value.TryGetDouble(out var number) => number,
        _ => null,
    };

    /// <summary>The virtual key presented (null for the administrator), or the refusal: an unusable key, or neither credential.</summary>
    private static async Task<(VirtualKey? Key, IResult? Refused)> CallerAsync(HttpContext context, CurrentCatalog catalog, TimeProvider time)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var presented = context.Request.Headers["x-api-key"].ToString() is { Length: > 0 } apiKey ? apiKey.Trim()
            : authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : "";
        if (presented.Length > 0 && VirtualKey.TryFind(catalog.State.Snapshot.VirtualKeys, presented, out var key))
        {
            return KeyAdmission.Usable(key, time.GetUtcNow()) is { } unusable
                ? (null, JsonBody.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", unusable.Message))
                : (key, null);
        }

        var admin = await context.AuthenticateAsync(AdminTokenAuthenticationHandler.SchemeName);
        if (admin.Succeeded)
        {
            context.User = admin.Principal;
            return (null, null);
        }

        return (null, Results.Challenge(authenticationSchemes: [AdminTokenAuthenticationHandler.SchemeName]));
    }
}
