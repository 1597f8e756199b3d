using Microsoft.AspNetCore.Authentication;
using Modelgate.Server.Auth;
using Modelgate.Server.Experiments;
using Modelgate.Server.Ui.Security;

namespace Modelgate.Server.Api;

/// <summary>The admin API's services: the admin token, authentication and authorization, errors as problem+json, OpenAPI.</summary>
internal static class AdminApiServiceCollectionExtensions
{
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddSingleton<AdminTokenVerifier>();
        services.AddSingleton<AdminAuthThrottle>();
        services.AddSingleton<AdminTokenBootstrapper>();
        services.AddSingleton<ExperimentResultsReader>();
        services.AddSingleton(new AdminConsole(Console.Out));

        // Only the admin API authenticates, through its policy: with no default scheme (ASP.NET Core would make the
        // only scheme the default), a gateway request's virtual key is never checked as an admin token, nor logged as
        // a failed admin sign-in.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        // The admin API takes the token as a bearer header and nothing else (so no cross-site request can use it);
        // the console has its own cookie session with CSRF tokens.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null)
            .AddAdminSession();
        services.AddAuthorization(o =>
        {
            o.DefaultPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(AdminTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().Build();
            o.AddPolicy(AdminSession.Policy, p => p.AddAuthenticationSchemes(AdminSession.Scheme).RequireAuthenticatedUser());
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<ErrorHandling>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi(o => o.AddSchemaTransformer<OptionalSchemaTransformer>());
        return services;
    }
}
