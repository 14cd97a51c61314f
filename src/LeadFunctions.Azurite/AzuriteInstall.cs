using System.Diagnostics;

namespace LeadFunctions.Azurite;

/// <summary>
/// Installs Azurite into the repository's node_modules with <c>npm ci</c>, once, however many
/// processes ask at the same moment (three test assemblies start together on a fresh clone): the
/// install runs under a lock file held exclusively, and whoever waited for it finds it done.
/// </summary>
public static class AzuriteInstall
{
    public const string LockFileName = ".azurite-install.lock";

    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>The path of Azurite's launcher under <paramref name="root"/>, installing it first when missing or older than package-lock.json.</summary>
    public static async Task<string> EnsureAsync(string root, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        var bin = BinPath(root);
        if (IsCurrent(root))
        {
            return bin;
        }

        await using var held = await AcquireAsync(Path.Combine(root, LockFileName), lockTimeout, cancellationToken);
        // Another process may have installed it while this one waited for the lock.
        if (IsCurrent(root))
        {
            return bin;
        }

        Console.WriteLine($"Azurite is not installed (or package-lock.json changed): running npm ci in {root} ...");
        using var npm = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Cannot start npm: is Node.js 20+ installed and on PATH?");
        try
        {
            await npm.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Never leave an install running without the lock: the next process would start a second one beside it.
            npm.Kill(entireProcessTree: true);
            await npm.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        if (npm.ExitCode != 0 || !File.Exists(bin))
        {
            throw new InvalidOperationException($"npm ci in {root} failed (exit code {npm.ExitCode}); Azurite is not available at {bin}.");
        }

        return bin;
    }

    public static string BinPath(string root) =>
        Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");

    /// <summary>
    /// Installed from the current lock file: npm writes node_modules/.package-lock.json at the end
    /// of an install, so one older than package-lock.json means the pinned versions changed since.
    /// </summary>
    internal static bool IsCurrent(string root)
    {
        var installed = new FileInfo(Path.Combine(root, "node_modules", ".package-lock.json"));
        var wanted = new FileInfo(Path.Combine(root, "package-lock.json"));
        return File.Exists(BinPath(root)) && installed.Exists && (!wanted.Exists || installed.LastWriteTimeUtc >= wanted.LastWriteTimeUtc);
    }

    /// <summary>
    /// Opens the lock file with no sharing, which .NET maps to an exclusive lock the operating
    /// system drops when the process dies: a killed install never leaves the others waiting.
    /// </summary>
    private static async Task<FileStream> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var announced = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                if (!announced)
                {
                    Console.WriteLine($"Waiting for another process installing Azurite in {Path.GetDirectoryName(path)} ...");
                    announced = true;
                }

                await Task.Delay(LockPoll, cancellationToken);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"Another process held {path} for more than {timeout.TotalSeconds:0} s while installing Azurite (npm ci may be slow or stuck).", e);
            }
        }
    }
}
