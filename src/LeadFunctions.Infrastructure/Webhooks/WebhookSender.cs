using System.Text;
using LeadFunctions.Domain.Webhooks;
using LeadFunctions.Infrastructure.Outbox;

namespace LeadFunctions.Infrastructure.Webhooks;

/// <summary>What one delivery try came to: the receiver's status code when it answered, and why it failed when it did.</summary>
public sealed record DeliveryOutcome(bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// Posts one event to one receiver, signed as Standard Webhooks says, through the handler that
/// checks every address it connects to (<see cref="WebhookTargets"/>). Any 2xx is delivered;
/// anything else, a redirect included, is a failed try.
/// </summary>
public sealed class WebhookSender(WebhookTargets targets, WebhookSinkOptions options, TimeProvider clock) : IDisposable
{
    private readonly HttpClient client = new(targets.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<DeliveryOutcome> PostAsync(string url, string secret, string messageId, string body, CancellationToken ct)
    {
        // The address as the rules read it now (a setting may have changed since it was saved).
        if (WebhookAddresses.ShapeProblem(url, options.AllowInsecureLocal, out var uri) is { } problem)
        {
            return new DeliveryOutcome(false, null, problem);
        }
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, messageId);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, messageId, timestamp, body));
        request.Headers.UserAgent.ParseAdd("LeadFunctions-Webhooks/1.0");
        using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
        within.CancelAfter(options.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, within.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new DeliveryOutcome(true, status, null)
                : new DeliveryOutcome(false, status, $"The receiver answered {status}.");
        }
        catch (HttpRequestException e) when (Refused(e) is { } refused)
        {
            return new DeliveryOutcome(false, null, refused.Message);
        }
        catch (HttpRequestException e)
        {
            return new DeliveryOutcome(false, null, $"The receiver could not be reached: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, $"The receiver did not answer within {options.Timeout.TotalSeconds:0} s.");
        }
    }

    private static WebhookAddressException? Refused(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookAddressException refused)
            {
                return refused;
            }
        }
        return null;
    }

    public void Dispose() => client.Dispose();
}
