using Modelgate.Core.Pipeline;

namespace Modelgate.Server.Gateway;

/// <summary>Where the gateway writes the pipeline's failures (<see cref="PipelineLog"/>), as direct mode does.</summary>
internal static class GatewayLogging
{
    public static ILogger PipelineLogger(this HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(PipelineLog.Category);
}
