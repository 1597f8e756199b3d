using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.FileProviders;
using Modelgate.Core.Secrets;
using Modelgate.Server.Ui.Security;
using Modelgate.Storage;

namespace Modelgate.Server.Ui;

/// <summary>
/// The admin console: server-rendered Razor Pages under <c>/</c> (no front-end build), its session cookie, CSRF
/// protection, and its stylesheet and script embedded in the assembly.
/// </summary>
internal static class UiExtensions
{
    public static IServiceCollection AddModelgateUi(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("modelgate");
        services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeyStore, SecretProtector>((o, store, protector) =>
        {
            o.XmlRepository = new DatabaseXmlRepository(store);
            o.XmlEncryptor = new MasterKeyXmlEncryptor(protector);
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "modelgate_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
        });
        // Ahead of the JSON writer (AddProblemDetails comes later): browsers on console addresses get an HTML page.
        services.AddSingleton<IProblemDetailsWriter, ConsoleProblemWriter>();
        services.AddSingleton<FirstSigningKey>();
        services.AddOptions<CookieAuthenticationOptions>(AdminSession.Scheme)
            .Configure<AdminSessionStore>((o, sessions) => o.SessionStore = new DatabaseTicketStore(sessions));
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Ui/Pages";
            o.Conventions.AuthorizeFolder("/", AdminSession.Policy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            // "new" forms share their page with the edit form (the literal route wins over the id's).
            o.Conventions.AddPageRoute("/Aliases/Edit", "aliases/new");
            o.Conventions.AddPageRoute("/Experiments/Edit", "experiments/new");
            o.Conventions.ConfigureFilter(new ConsoleSecurityHeaders());
        });
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
        return services;
    }

    public static WebApplication MapModelgateUi(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(UiExtensions).Assembly, "Modelgate.Server.Ui.Assets"),
            RequestPath = "/ui",
            OnPrepareResponse = c => c.Context.Response.Headers.XContentTypeOptions = "nosniff",
        });
        app.MapRazorPages();
        return app;
    }
}
