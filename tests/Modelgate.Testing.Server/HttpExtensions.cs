using Xunit;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Modelgate.Testing.Server;

/// <summary>Small helpers for talking JSON to the admin API in tests.</summary>
public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string body, string contentType = "application/json") =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and returns the JSON body; on mismatch the message shows the body.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}

/// <summary>Creates catalog entries with unique names, so tests sharing a server never collide.</summary>
public static class Catalog
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<JsonElement> CreateProviderAsync(this HttpClient admin, string type = "openai", string? apiKey = null, string? baseUrl = null)
    {
        var response = await admin.PostJsonAsync("/api/v1/llm-providers", new { name = Unique(type), type, api_key = apiKey, base_url = baseUrl });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> CreateModelAsync(this HttpClient admin, string providerId, string type = "chat", string? modelId = null)
    {
        var response = await admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = providerId, model_id = modelId ?? Unique("model"), type });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }
}
