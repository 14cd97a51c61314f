using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace LeadFunctions.Functions.Tests;

/// <summary>
/// The local host as its own process, started the way a user starts it, with settings from
/// environment variables: for what must not share the test process (process-wide switches,
/// static state of the SDKs).
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);

    private readonly Process process;
    private readonly StringBuilder output = new();

    private LocalHostProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        // No trace context from the test process: its activities are not recorded, and a host
        // honours a caller's "not sampled" (W3C trace context), which would hide the host's traces.
        Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = baseAddress };
    }

    /// <summary>Signed in as the first admin once started; based at /api/.</summary>
    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<LocalHostProcess> StartAsync(string storage, IDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LeadFunctions.LocalHost.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["AzureWebJobsStorage"] = storage;
        start.Environment["Auth__Admins"] = DevCredentials.AdminEmail;
        start.Environment["LocalHost__Banner"] = "false";
        // The port after the one picked may be taken: the development sign-in's https listener takes any free one.
        start.Environment["LocalHost__IdentityPort"] = "0";
        // The tests play App Service's front end: each capture names its visitor in X-Client-IP.
        start.Environment["Capture__ClientAddressHeader"] = "X-Client-IP";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var host = new LocalHostProcess(process, new Uri($"http://localhost:{port}/api/"));
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilHealthyAsync();
            DevCredentials.SignIn(host.Client, await DevCredentials.AdminTokenAsync(host.Client.BaseAddress!));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the host as the platform does (SIGTERM), so that it shuts down in order and its
    /// telemetry exporter sends what it still holds; fails when it does not exit in time.
    /// </summary>
    public async Task StopAsync(TimeSpan patience)
    {
        if (kill(process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"SIGTERM could not be sent (errno {Marshal.GetLastPInvokeError()}).");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(patience);
        await process.WaitForExitAsync(timeout.Token);
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The local host exited with code {process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await Client.GetAsync("health", TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (waited.Elapsed > StartPatience)
            {
                throw new TimeoutException($"The local host did not answer /api/health within {StartPatience.TotalSeconds:0} s:{Environment.NewLine}{Output}");
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A loopback port nothing listens on at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
