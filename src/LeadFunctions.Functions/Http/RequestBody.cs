using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain.Leads;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LeadFunctions.Functions.Http;

/// <summary>The body is larger than the route accepts: answered 413.</summary>
public sealed class BodyTooLargeException(int limit) : Exception($"The body is larger than {limit / 1024} KiB.");

/// <summary>The body's media type is not one the route reads: answered 415.</summary>
public sealed class UnsupportedMediaTypeException(string message) : Exception(message);

/// <summary>A body that is not well-formed (JSON or form): answered 400.</summary>
public sealed class MalformedBodyException(string message) : Exception(message);

/// <summary>
/// The one place request bodies are read (SPEC 5): media types matched exactly (UTF-8 only), a
/// size limit whatever the Content-Length claims, and every way a body can be malformed (invalid
/// UTF-8, lone surrogates in escapes, duplicate keys, too deep) turned into a 4xx, never a 500.
/// </summary>
public static class RequestBody
{
    public const int DefaultMaxBytes = 64 * 1024;
    public const int MaxDepth = 32;

    private const string Json = "application/json";
    private const string MergePatchJson = "application/merge-patch+json";
    private const string Form = "application/x-www-form-urlencoded";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>application/json (and, for PATCH, RFC 7396's application/merge-patch+json).</summary>
    public static bool IsJson(HttpRequest request) =>
        MediaType(request) is { } type && (type == Json || (type == MergePatchJson && HttpMethods.IsPatch(request.Method)));

    /// <summary>What an HTML form without file fields sends; multipart (file uploads) is not read.</summary>
    public static bool IsUrlEncodedForm(HttpRequest request) => MediaType(request) == Form;

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
            throw new UnsupportedMediaTypeException("Send the body as application/json (UTF-8).");
        }
        return ParseObject(await ReadBytesAsync(request, maxBytes, ct));
    }

    /// <summary>A PATCH body: read like any JSON object (application/merge-patch+json accepted too), then typed as a merge patch.</summary>
    public static async Task<MergePatch> ReadMergePatchAsync(HttpRequest request, CancellationToken ct) =>
        new(await ReadJsonObjectAsync(request, ct));

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
            var node = JsonNode.Parse(body, documentOptions: DocumentOptions);
            var root = node as JsonObject ?? throw new MalformedBodyException("The body must be a JSON object.");
            CheckStrings(root);
            return root;
        }
        catch (JsonException e)
        {
            throw new MalformedBodyException("The body is not well-formed JSON: " + e.Message);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedBodyException("The body is not valid UTF-8.");
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json reads "\ud800" as text it cannot turn into a string: in a key it fails while parsing.
            throw new MalformedBodyException("The body holds text that is not valid Unicode (a lone surrogate in an escape): " + e.Message);
        }
        catch (ArgumentException e)
        {
            throw new MalformedBodyException("The body holds the same key twice: " + e.Message);
        }
    }

    /// <summary>
    /// The fields of a form body (application/x-www-form-urlencoded), each with every value it was
    /// given, decoded as strict UTF-8: a byte sequence that is not UTF-8 is a 400, never a U+FFFD.
    /// </summary>
    public static async Task<Dictionary<string, List<string>>> ReadFormAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var body = await ReadBytesAsync(request, maxBytes, ct);
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        try
        {
            foreach (var pair in StrictUtf8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var separator = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Decode(separator < 0 ? pair : pair[..separator]);
                var value = separator < 0 ? "" : Decode(pair[(separator + 1)..]);
                if (!fields.TryGetValue(name, out var values))
                {
                    fields[name] = values = [];
                }
                values.Add(value);
            }
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedBodyException("The form is not valid UTF-8 (after percent-decoding).");
        }
        return fields;
    }

    /// <summary>Lower-case media type, or null without one; a charset other than UTF-8 (or any other parameter) is a 415.</summary>
    private static string? MediaType(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return null;
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) || parsed.MediaType.Value is not { } type)
        {
            throw new UnsupportedMediaTypeException($"'{request.ContentType}' is not a media type.");
        }
        foreach (var parameter in parsed.Parameters)
        {
            var isUtf8 = parameter.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)
                && (parameter.Value.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || parameter.Value.Equals("\"utf-8\"", StringComparison.OrdinalIgnoreCase));
            if (!isUtf8)
            {
                throw new UnsupportedMediaTypeException($"Only UTF-8 bodies are read: the parameter '{parameter}' is not accepted.");
            }
        }
        return type.ToLowerInvariant();
    }

    private static string Decode(string component)
    {
        // '+' is a space in forms; then percent-escapes give bytes, which must be UTF-8.
        var bytes = System.Web.HttpUtility.UrlDecodeToBytes(component.Replace('+', ' '));
        return StrictUtf8.GetString(bytes);
    }

    /// <summary>
    /// Every key and string materialized at once, so that a body with a lone surrogate in a value is
    /// refused here rather than failing wherever the value is first read.
    /// </summary>
    private static void CheckStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    CheckStrings(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CheckStrings(item);
                }
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }
}
