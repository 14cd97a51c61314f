using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace LeadFunctions.Functions.Configuration;

/// <summary>
/// Takes personal data out of spans and logs before the exporter sees them (SPEC 4.5): an erasure
/// cannot reach what Application Insights holds. Index and list partitions are named after emails,
/// phones and names ("email:ann@acme.test"), and storage calls carry their keys in the entity URL;
/// a list filter carries an email in its query string. What stays is enough to read a trace: the
/// table or queue, the method, whether it was a point operation or a query, the parameter names.
/// </summary>
public static partial class TelemetryRedaction
{
    public const string Redacted = "REDACTED";

    /// <summary>The span attributes that hold a URL or a part of one (old and new HTTP conventions).</summary>
    private static readonly string[] UrlAttributes = ["url.full", "http.url", "url.path", "url.query", "http.target", "url.original"];

    /// <summary>Who the visitor is: personal data that a trace does not need.</summary>
    private static readonly string[] ClientAttributes = ["client.address", "http.client_ip", "microsoft.client.ip"];

    /// <summary>
    /// Storage query parameters that name the operation and never a value of a record. The Azure SDK
    /// already writes REDACTED for the others ($filter, continuation keys, pop receipts); they are
    /// redacted here too, should a changed client option ever let the SDK write them out.
    /// </summary>
    private static readonly HashSet<string> OperationParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "comp", "restype", "timeout", "messagettl", "visibilitytimeout", "numofmessages", "peekonly", "$format", "$top", "$select",
    };

    /// <summary>
    /// A URL with nothing of a record in it. Table entity keys, whatever they spell, become one
    /// REDACTED ("leads(REDACTED)" is a point operation, "leads()" a query); queue message ids go;
    /// query values go, except the operation parameters of a storage call.
    /// </summary>
    public static string RedactUrl(string url, bool storageCall)
    {
        var query = url.IndexOfAny(['?', '#']);
        var path = query < 0 ? url : url[..query];
        var rest = query < 0 ? "" : url[query..];
        path = EntityKeysInPath().Replace(path, "${table}(" + Redacted + ")");
        path = MessageId().Replace(path, "${messages}" + Redacted);
        return path + RedactQuery(rest, storageCall);
    }

    /// <summary>Free text (a log message, a span name) with every URL in it redacted as <see cref="RedactUrl"/> does.</summary>
    public static string RedactText(string text)
    {
        if (text.IndexOfAny(['?', '(', '/']) < 0)
        {
            return text;
        }
        var redacted = EntityKeys().Replace(text, "${table}(" + Redacted + ")");
        redacted = MessageId().Replace(redacted, "${messages}" + Redacted);
        return QueryInText().Replace(redacted, match => Keep(match, storageCall: false));
    }

    private static string RedactQuery(string query, bool storageCall) =>
        query.Length == 0 ? query : QueryValue().Replace(query, match => Keep(match, storageCall));

    private static string Keep(Match match, bool storageCall)
    {
        var name = match.Groups["name"].Value;
        var value = match.Groups["value"].Value;
        var keep = value.Length == 0 || value == Redacted || (storageCall && OperationParameters.Contains(name));
        return match.Groups["lead"].Value + name + "=" + (keep ? value : Redacted);
    }

    // A table segment followed by anything but "()": the keys of a point operation, in any spelling, to the end of the path.
    [GeneratedRegex(@"(?<table>/[A-Za-z][A-Za-z0-9]*)\((?!\)).*$")]
    private static partial Regex EntityKeysInPath();

    // The same within text, where a URL ends at white space.
    [GeneratedRegex(@"(?<table>/[A-Za-z][A-Za-z0-9]*)\((?!\))[^?#\s]*")]
    private static partial Regex EntityKeys();

    [GeneratedRegex(@"(?<messages>/messages/)[^/?#\s]+", RegexOptions.IgnoreCase)]
    private static partial Regex MessageId();

    // A parameter of a query string, which url.query holds without its "?".
    [GeneratedRegex(@"(?<lead>^|[?&;])(?<name>[^=&;?#\s]+)=(?<value>[^&;#\s]*)")]
    private static partial Regex QueryValue();

    // A parameter of a URL's query within text: only after "?" or "&", so that "name=value" prose stays.
    [GeneratedRegex(@"(?<lead>[?&])(?<name>[^=&;?#\s]+)=(?<value>[^&;#\s]*)")]
    private static partial Regex QueryInText();

    /// <summary>
    /// Rewrites each span's URL attributes and name as it ends, before the exporter (added later,
    /// when the host starts) reads them. Spans of the Azure SDK and every client span are storage
    /// calls or webhook deliveries: both keep their operation parameters; a request span (a
    /// server span) keeps none of its query values, which are what a caller filtered by.
    /// </summary>
    public sealed class SpanProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            var storageCall = data.Kind != ActivityKind.Server;
            foreach (var attribute in UrlAttributes)
            {
                if (data.GetTagItem(attribute) is string url)
                {
                    var redacted = attribute == "url.query" ? RedactQuery(url, storageCall) : RedactUrl(url, storageCall);
                    if (!string.Equals(redacted, url, StringComparison.Ordinal))
                    {
                        data.SetTag(attribute, redacted);
                    }
                }
            }
            foreach (var attribute in ClientAttributes)
            {
                if (data.GetTagItem(attribute) is not null)
                {
                    data.SetTag(attribute, null);
                }
            }
            var name = RedactText(data.DisplayName);
            if (!string.Equals(name, data.DisplayName, StringComparison.Ordinal))
            {
                data.DisplayName = name;
            }
        }
    }

    /// <summary>
    /// Redacts URLs in log messages and their values, as the spans' ones: ASP.NET Core's
    /// "Request starting … /api/leads?email=…" (on when Microsoft.AspNetCore logs at Information)
    /// would otherwise carry a list filter's email. Storage exceptions need nothing: their message
    /// holds the status, the service's error and the sanitized headers, never the request URL.
    /// </summary>
    public sealed class LogProcessor : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (data.FormattedMessage is { } message)
            {
                data.FormattedMessage = RedactText(message);
            }
            if (data.Body is { } body)
            {
                data.Body = RedactText(body);
            }
            if (data.Attributes is { Count: > 0 } attributes && attributes.Any(a => a.Value is string s && !string.Equals(RedactText(s), s, StringComparison.Ordinal)))
            {
                data.Attributes = attributes
                    .Select(a => a.Value is string s && a.Key != "{OriginalFormat}" ? new KeyValuePair<string, object?>(a.Key, RedactText(s)) : a)
                    .ToList();
            }
        }
    }
}
