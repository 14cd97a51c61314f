using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.Functions.Http;

/// <summary>The body is larger than the route accepts: answered 413.</summary>
public sealed class BodyTooLargeException(int limit) : Exception($"The body is larger than {limit / 1024} KiB.");

/// <summary>The body's media type is not one the route reads: answered 415.</summary>
public sealed class UnsupportedMediaTypeException(string message) : Exception(message);

/// <summary>A body that is not well-formed (JSON or form): answered 400.</summary>
public sealed class MalformedBodyException(string message) : Exception(message);

/// <summary>Reads request bodies with a size limit, whatever the Content-Length claims.</summary>
public static class RequestBody
{
    public const int DefaultMaxBytes = 64 * 1024;

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>What an HTML form without file fields sends; multipart (file uploads) is not read.</summary>
    public static bool IsUrlEncodedForm(HttpRequest request) =>
        request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new BodyTooLargeException(maxBytes);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new BodyTooLargeException(maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A JSON object body (application/json), or a 4xx.</summary>
    public static async Task<JsonObject> ReadJsonObjectAsync(HttpRequest request, CancellationToken ct, int maxBytes = DefaultMaxBytes)
    {
        if (!IsJson(request))
        {
            throw new UnsupportedMediaTypeException("Send the body as application/json.");
        }
        return ParseObject(await ReadBytesAsync(request, maxBytes, ct));
    }

    /// <summary>Like <see cref="ReadJsonObjectAsync"/>, but an empty body is an empty object.</summary>
    public static async Task<JsonObject> ReadOptionalJsonObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && request.ContentType is null))
        {
            return [];
        }
        return await ReadJsonObjectAsync(request, ct);
    }

    public static JsonObject ParseObject(byte[] body)
    {
        try
        {
            var node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            return node as JsonObject ?? throw new MalformedBodyException("The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new MalformedBodyException("The body is not well-formed JSON: " + e.Message);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedBodyException("The body is not valid UTF-8.");
        }
    }
}
