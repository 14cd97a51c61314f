using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LeadFunctions.Azurite;

/// <summary>An Azurite started from the repository's node_modules; disposing it ends its whole process tree.</summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The well-known development account key (public, not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int PortAttempts = 3;

    private readonly Process process;
    private readonly StringBuilder stderr;
    private readonly EventHandler processExitHandler;
    private int disposed;

    private AzuriteProcess(Process process, StringBuilder stderr, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        this.stderr = stderr;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        ConnectionString = CreateConnectionString(blobPort, queuePort, tablePort);
        // A host that exits without disposing (unhandled exception, Environment.Exit) must not leave Azurite holding the ports.
        processExitHandler = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += processExitHandler;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }
    public string ConnectionString { get; }

    public static string CreateConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions options, CancellationToken cancellationToken = default)
    {
        var root = options.RepositoryRoot ?? RepositoryRoot.Find()
            ?? throw new InvalidOperationException("Cannot start Azurite: no folder holding package.json and LeadFunctions.sln above the application or the current directory.");
        var executable = await AzuriteInstall.EnsureAsync(root, options.InstallTimeout, cancellationToken);
        var location = options.InMemory ? null : options.Location ?? Path.Combine(root, ".azurite");

        for (var attempt = 1; ; attempt++)
        {
            var ports = ChoosePorts(options);
            var (process, stderr) = Launch(executable, options.TableIndex ? TableIndexScript : null, location, ports);
            try
            {
                await WaitUntilListeningAsync(process, stderr, ports, options.StartTimeout, cancellationToken);
                return new AzuriteProcess(process, stderr, ports[0], ports[1], ports[2]);
            }
            catch (AzuriteExitedException) when (attempt < PortAttempts && Read(stderr).Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Another process took a port between our probe and Azurite's bind: try fresh ports.
                process.Dispose();
            }
            catch
            {
                KillTree(process);
                process.Dispose();
                throw;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit -= processExitHandler;
            Kill();
            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Azurite's standard error so far, for diagnostics.</summary>
    public string StandardError
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    private void Kill() => KillTree(process);

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static int[] ChoosePorts(AzuriteOptions options)
    {
        int[] preferred = [options.BlobPort, options.QueuePort, options.TablePort];
        // All listeners stay open until every port is chosen, so the three ports differ.
        var listeners = new List<TcpListener>();
        try
        {
            return preferred.Select(port =>
            {
                var listener = TryListen(port) ?? TryListen(0)!;
                listeners.Add(listener);
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException) when (port != 0)
        {
            listener.Dispose();
            return null;
        }
    }

    /// <summary>
    /// The preload that makes Azurite's tables find a row by both keys and answer a partition query
    /// from that partition, as Table Storage does (see the script for why; it changes no answer).
    /// </summary>
    public static string TableIndexScript { get; } = Path.Combine(AppContext.BaseDirectory, "azurite-table-index.cjs");

    private static (Process Process, StringBuilder Stderr) Launch(string executable, string? preload, string? location, int[] ports)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = location ?? Path.GetTempPath(),
        };
        if (preload is not null)
        {
            start.Environment["NODE_OPTIONS"] = $"--require \"{preload}\" {Environment.GetEnvironmentVariable("NODE_OPTIONS")}".TrimEnd();
        }
        foreach (var argument in new[] { "--silent", "--skipApiVersionCheck", "--disableTelemetry" })
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--blobPort");
        start.ArgumentList.Add(ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--queuePort");
        start.ArgumentList.Add(ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--tablePort");
        start.ArgumentList.Add(ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var stderr = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        // Drained so a chatty Azurite never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return (process, stderr);
    }

    private static async Task WaitUntilListeningAsync(Process process, StringBuilder stderr, int[] ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var pending = new List<int>(ports);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new AzuriteExitedException($"Azurite exited with code {process.ExitCode} before listening on ports {string.Join(", ", ports)}. Its error output:{Environment.NewLine}{Read(stderr)}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Azurite did not listen on ports {string.Join(", ", pending)} within {timeout.TotalSeconds:0} s. Its error output:{Environment.NewLine}{Read(stderr)}");
            }

            foreach (var port in pending.ToArray())
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                    pending.Remove(port);
                }
                catch (SocketException)
                {
                    await Task.Delay(50, cancellationToken);
                    break;
                }
            }
        }
    }

    private static string Read(StringBuilder stderr)
    {
        lock (stderr)
        {
            return stderr.ToString();
        }
    }

    private sealed class AzuriteExitedException(string message) : InvalidOperationException(message);
}
