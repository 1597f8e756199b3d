using Modelgate.Core.Usage;
using Modelgate.Server.Api;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// Records the call: one usage record per call of a known key (success or failure, whatever the status), handed to the
/// background writer without waiting, and the same figures as OpenTelemetry metrics. A whole answer is recorded before
/// its last bytes go out (<see cref="GatewayCall.Complete"/>); anything else when the response is over. The caller gets
/// the record's id in <c>x-modelgate-request-id</c>. The steps inside fill the call in (<see cref="GatewayCall"/> says
/// which step owns which field).
/// </summary>
internal sealed class RecordStep(GatewayServices services, string operation) : IEndpointFilter
{
    /// <summary>The response header that carries the id of the call's usage record.</summary>
    public const string RequestIdHeader = "x-modelgate-request-id";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var call = new GatewayCall(operation, services.Time.GetUtcNow(), services.Catalog.State.Snapshot.Version);
        context.Features.Set(call);
        context.Response.Headers[RequestIdHeader] = call.RequestId.ToString();
        var activity = GatewayTelemetry.Start(operation, context.Request.Path.Value ?? "");
        call.OnComplete(c => RecordSafely(context, c, activity));
        context.Response.OnCompleted(() =>
        {
            call.Complete();
            return Task.CompletedTask;
        });
        try
        {
            return await next(invocation);
        }
        catch (Exception e)
        {
            var callerLeft = context.RequestAborted.IsCancellationRequested || CallerLeft.Explains(e, context);
            call.ErrorClass ??= callerLeft ? "client_closed" : "internal_error";
            throw;
        }
        finally
        {
            call.Ended();
            // Its place among the key's requests in flight is free now, even if its tokens are still being counted.
            call.Limits?.End();
        }
    }

    // Recording runs before the answer's last bytes on the request path: whatever goes wrong in it must not cost the
    // caller an answer that was served. It is logged once, without the request.
    private void RecordSafely(HttpContext context, GatewayCall call, System.Diagnostics.Activity? activity)
    {
        try
        {
            Record(context, call, activity);
        }
        catch (Exception e)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Modelgate.Gateway.Usage")
                .LogError("The usage record of call {RequestId} could not be made ({Error}).", call.RequestId, e.GetType().Name);
            // What it used is unknown: its reservations count as used (a second settlement changes nothing).
            call.Limits?.SettleAsReserved();
        }
    }

    private void Record(HttpContext context, GatewayCall call, System.Diagnostics.Activity? activity)
    {
        if (call.Key is null)
        {
            // Unauthenticated traffic is not recorded: it would let anyone fill the usage table.
            activity?.Dispose();
            return;
        }

        var status = context.Response.StatusCode;
        if (call.CountsLater)
        {
            // The tokenizer's work never runs on a request's thread.
            services.Counting.Enqueue(exactChars => Record(call, status, exactChars, activity));
            return;
        }

        Record(call, status, TokenEstimator.ExactChars, activity);
    }

    private void Record(GatewayCall call, int status, int exactChars, System.Diagnostics.Activity? activity)
    {
        using (activity)
        {
            var record = call.ToRecord(status, exactChars);
            if (!call.TryHandOver())
            {
                return;
            }

            services.Usage.Record(record);
            call.Limits?.Settle(record.Tokens.Total, record.Cost);
            services.Telemetry.Record(record, call.Request?.Requested, call.Model?.Provider.Kind, activity);
        }
    }
}
