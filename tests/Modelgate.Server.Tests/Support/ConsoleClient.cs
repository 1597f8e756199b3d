using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Modelgate.Server.Tests.Support;

/// <summary>
/// The admin console as a browser without script sees it: cookies kept, redirects not followed, forms posted with
/// the CSRF token read from the page they are on (or without it, to show it is required).
/// </summary>
public sealed partial class ConsoleClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public static ConsoleClient For(ModelgateApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Posts a form found at <paramref name="pagePath"/> to <paramref name="action"/> (the page itself by default). A field
    /// may come more than once, as ticked boxes of one name do.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, IEnumerable<KeyValuePair<string, string>> fields, string? action = null, bool withCsrf = true)
    {
        var form = fields.ToList();
        if (withCsrf)
        {
            var (_, html) = await GetAsync(pagePath);
            form.Add(new("__csrf", Csrf().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No CSRF token on {pagePath}.")));
        }

        return await Http.PostAsync(action ?? pagePath, new FormUrlEncodedContent(form));
    }

    public async Task<HttpResponseMessage> SignInAsync(string token = ModelgateApp.AdminToken, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/sign-in" : "/sign-in?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var fields = new Dictionary<string, string> { ["token"] = token };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        return await PostFormAsync(path, fields);
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();
}
