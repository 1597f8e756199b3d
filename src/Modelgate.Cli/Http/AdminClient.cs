using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Modelgate.Cli.Connection;

namespace Modelgate.Cli.Http;

/// <summary>
/// The admin API as the tool uses it: JSON in and out, a problem+json refusal or an unreachable server turned into a
/// <see cref="CliException"/> whose message never carries the token.
/// </summary>
public sealed class AdminClient(ConnectionSettings settings) : IDisposable
{
    private const int PageSize = 200;

    private readonly HttpClient _http = Create(settings);

    /// <summary>The server this client talks to.</summary>
    public Uri Url => settings.Url;

    /// <summary>GETs a path under <c>/api/v1/</c>.</summary>
    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>GETs a path under <c>/api/v1/</c> as text (an export in YAML, say).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/" + path.TrimStart('/'));
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Could not reach {settings.Url}: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode ? text : throw new CliException(ProblemMessage.From(response, text)) { Status = (int)response.StatusCode };
        }
    }

    /// <summary>Every item of a list, following pages (<c>{data, total}</c>) or taking a plain array as it is.</summary>
    public async Task<IReadOnlyList<JsonElement>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        while (true)
        {
            var page = await GetAsync($"{path}{separator}limit={PageSize}&offset={items.Count}", cancellationToken);
            if (page.ValueKind == JsonValueKind.Array)
            {
                return [.. page.EnumerateArray()];
            }

            var data = page.GetProperty("data").EnumerateArray().ToList();
            items.AddRange(data);
            if (data.Count == 0 || items.Count >= page.GetProperty("total").GetInt32())
            {
                return items;
            }
        }
    }

    /// <summary>Sends a request with an optional JSON body and returns the answer's JSON (an empty object for 204).</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "api/v1/" + path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Could not reach {settings.Url}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"Could not reach {settings.Url}: no answer within {_http.Timeout.TotalSeconds:0} s.");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(ProblemMessage.From(response, text)) { Status = (int)response.StatusCode, FieldErrors = ProblemMessage.Fields(text) };
            }

            return text.Length == 0 ? JsonDocument.Parse("{}").RootElement : ParseJson(text);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static JsonElement ParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            throw new CliException("The server answered with something that is not JSON: is the address a Modelgate server?");
        }
    }

    private static HttpClient Create(ConnectionSettings settings)
    {
        var root = settings.Url.ToString().TrimEnd('/') + "/";
        var http = new HttpClient { BaseAddress = new Uri(root), Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }
}
