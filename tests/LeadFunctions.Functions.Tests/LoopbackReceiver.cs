using System.IO.Compression;
using System.Net;
using System.Text;

namespace LeadFunctions.Functions.Tests;

/// <summary>
/// An HTTP server on 127.0.0.1 that stands in for an outside service (an identity endpoint, a
/// telemetry ingestion endpoint, a webhook receiver): it records every request and answers with
/// what the test says. Tests never send traffic beyond loopback.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly Func<Received, (int Status, string Body)> answer;
    private readonly Task serving;
    private readonly List<Received> received = [];

    private LoopbackReceiver(HttpListener listener, Uri address, Func<Received, (int Status, string Body)> answer)
    {
        this.listener = listener;
        this.answer = answer;
        Address = address;
        serving = ServeAsync();
    }

    public Uri Address { get; }

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (received)
            {
                return received.ToList();
            }
        }
    }

    public static LoopbackReceiver Start(Func<Received, (int Status, string Body)> answer)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20000, 60000);
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackReceiver(listener, new Uri($"http://127.0.0.1:{port}/"), answer);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Waits until the recorded requests satisfy the condition; fails with what came when they never do.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var requests = Requests;
            if (condition(requests))
            {
                return requests;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The receiver did not get what was awaited within {patience.TotalSeconds:0} s; it got {requests.Count} requests: {string.Join(", ", requests.Select(r => r.Method + " " + r.Path))}.");
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            var request = context.Request;
            using var body = new MemoryStream();
            var input = string.Equals(request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(request.InputStream, CompressionMode.Decompress)
                : request.InputStream;
            await input.CopyToAsync(body);
            var headers = request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var record = new Received(request.HttpMethod, request.Url!.AbsolutePath, request.Url.Query, headers, Encoding.UTF8.GetString(body.ToArray()));
            lock (received)
            {
                received.Add(record);
            }
            var (status, text) = answer(record);
            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public sealed record Received(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);
}
