using Azure.Data.Tables;

namespace LeadFunctions.Azurite.Tests;

/// <summary>A fresh clone has no node_modules and several test assemblies ask for Azurite at once.</summary>
public sealed class AzuriteInstallTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("azurite-install-").FullName;

    [Fact]
    public async Task Several_starts_at_once_on_an_empty_folder_install_once_and_all_get_a_working_Azurite()
    {
        CopyPackageFiles();
        var options = AzuriteOptions.InMemoryOnFreePorts with { RepositoryRoot = folder };
        var runs = Path.Combine(folder, "npm-runs.txt");
        using var counted = CountNpmRuns(runs);

        var starts = Enumerable.Range(0, 4).Select(_ => Task.Run(() => AzuriteProcess.StartAsync(options, TestContext.Current.CancellationToken))).ToArray();
        var azurites = await Task.WhenAll(starts);
        try
        {
            AzuriteInstall.IsCurrent(folder).Should().BeTrue();
            File.ReadAllLines(runs).Where(line => line.StartsWith("ci ", StringComparison.Ordinal)).Should().ContainSingle("one npm ci served all four: the others waited on the lock and reused it");
            foreach (var azurite in azurites)
            {
                var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("probe");
                await table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
                await table.AddEntityAsync(new TableEntity("p", "r"), TestContext.Current.CancellationToken);
                (await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: TestContext.Current.CancellationToken)).Value.RowKey.Should().Be("r");
            }

            azurites.Select(a => a.TablePort).Should().OnlyHaveUniqueItems();
        }
        finally
        {
            foreach (var azurite in azurites)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    [Fact]
    public void An_install_older_than_package_lock_json_is_not_current()
    {
        CopyPackageFiles();
        Directory.CreateDirectory(Path.Combine(folder, "node_modules", ".bin"));
        File.WriteAllText(AzuriteInstall.BinPath(folder), "");
        var installed = Path.Combine(folder, "node_modules", ".package-lock.json");
        File.WriteAllText(installed, "{}");

        File.SetLastWriteTimeUtc(installed, DateTime.UtcNow.AddMinutes(-1));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "package-lock.json"), DateTime.UtcNow);
        AzuriteInstall.IsCurrent(folder).Should().BeFalse("the pinned versions changed after the install");

        File.SetLastWriteTimeUtc(installed, DateTime.UtcNow.AddMinutes(1));
        AzuriteInstall.IsCurrent(folder).Should().BeTrue();

        File.Delete(AzuriteInstall.BinPath(folder));
        AzuriteInstall.IsCurrent(folder).Should().BeFalse("an interrupted install leaves no launcher");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Puts an npm first on PATH that notes each run in <paramref name="log"/> and hands over to the real one.</summary>
    private RestorePath CountNpmRuns(string log)
    {
        var real = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "npm")).FirstOrDefault(File.Exists);
        if (real is null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            Assert.Skip("Counting npm runs needs a Unix shell and npm on PATH.");
            return null!;
        }
        var bin = Directory.CreateDirectory(Path.Combine(folder, "counting-bin")).FullName;
        var npm = Path.Combine(bin, "npm");
        File.WriteAllText(npm, $"#!/bin/sh\necho \"$*\" >> '{log}'\nexec '{real}' \"$@\"\n");
        File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(log, "");
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + path);
        return new RestorePath(path);
    }

    private sealed class RestorePath(string? path) : IDisposable
    {
        public void Dispose() => Environment.SetEnvironmentVariable("PATH", path);
    }

    private void CopyPackageFiles()
    {
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
        foreach (var file in new[] { "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(root, file), Path.Combine(folder, file));
        }
    }
}
