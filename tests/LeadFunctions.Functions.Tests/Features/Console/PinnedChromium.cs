using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using LeadFunctions.Azurite;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>
/// The browser the console tests drive: the Chromium that npm's <c>@sparticuz/chromium</c> (pinned
/// in package.json) ships inside its tarball, so that <c>dotnet test</c> gets it from the package
/// registry as it gets Azurite, and every machine runs the same browser whether or not a system one
/// is installed. Playwright's own browser download is never used.
/// </summary>
/// <remarks>
/// The package ships Brotli-compressed files meant for serverless hosts: the browser
/// (<c>chromium.br</c>, a headless shell), its fonts (<c>fonts.tar.br</c>) and the NSS and expat
/// libraries it links to (<c>al2023.tar.br</c>), which a bare Debian lacks. They are unpacked here
/// (.NET reads Brotli and tar itself, so no Node.js code of the package runs) into
/// <c>node_modules/.cache</c>, beside the install they come from, which a new install replaces.
/// The package's own fonts.conf names /tmp/fonts, where its JavaScript would unpack them; without
/// a fontconfig file naming the unpacked fonts the browser draws no text at all, so one is written.
/// </remarks>
public sealed record PinnedChromium(string ExecutablePath, IReadOnlyDictionary<string, string> Environment)
{
    public const string Package = "@sparticuz/chromium";

    /// <summary>How long to wait for another process's <c>npm ci</c> (the test assemblies start together).</summary>
    private static readonly TimeSpan InstallLockTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Flags for a headless shell as root in a container: no sandbox (no user namespaces), no GPU (software drawing).</summary>
    public static readonly IReadOnlyList<string> Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>The unpacked browser, installing the npm packages and unpacking it first when needed.</summary>
    public static async Task<PinnedChromium> EnsureAsync(CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            throw new PlatformNotSupportedException($"{Package} ships Chromium for Linux x64 only; the browser tests run there (as CI does).");
        }
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
        await AzuriteInstall.EnsureAsync(root, InstallLockTimeout, ct);
        var package = Path.Combine(root, "node_modules", "@sparticuz", "chromium");
        var version = VersionOf(package);
        var folder = Path.Combine(root, "node_modules", ".cache", "leadfunctions-chromium", version);
        if (!File.Exists(Path.Combine(folder, CompleteMarker)))
        {
            await UnpackAsync(Path.Combine(package, "bin"), folder, ct);
        }
        var libraries = Path.Combine(folder, "lib");
        var inherited = System.Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value ?? "";
        }
        environment["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(inherited) ? libraries : libraries + ":" + inherited;
        environment["FONTCONFIG_PATH"] = Path.Combine(folder, "fontconfig");
        return new PinnedChromium(Path.Combine(folder, "chromium"), environment);
    }

    private const string CompleteMarker = ".complete";

    private static string VersionOf(string package)
    {
        var manifest = Path.Combine(package, "package.json");
        if (!File.Exists(manifest))
        {
            throw new InvalidOperationException($"{Package} is not installed in {package}: it is pinned in package.json, which npm ci installs.");
        }
        using var json = JsonDocument.Parse(File.ReadAllText(manifest));
        return json.RootElement.GetProperty("version").GetString() ?? throw new InvalidOperationException($"{manifest} names no version.");
    }

    /// <summary>
    /// Unpacks into a folder of its own, then renames it into place: processes doing this at the
    /// same moment each finish a whole copy, and the first rename wins.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static async Task UnpackAsync(string bin, string folder, CancellationToken ct)
    {
        var staging = folder + ".unpacking-" + Guid.NewGuid().ToString("N");
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            var executable = Path.Combine(staging, "chromium");
            await using (var output = File.Create(executable))
            {
                await using var input = new BrotliStream(File.OpenRead(Path.Combine(bin, "chromium.br")), CompressionMode.Decompress);
                await input.CopyToAsync(output, ct);
            }
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            // al2023.tar.br holds lib/…; fonts.tar.br holds fonts.conf and fonts/….
            await ExtractAsync(Path.Combine(bin, "al2023.tar.br"), staging, ct);
            var fonts = Path.Combine(staging, "fontconfig");
            await ExtractAsync(Path.Combine(bin, "fonts.tar.br"), fonts, ct);
            await File.WriteAllTextAsync(Path.Combine(fonts, "fonts.conf"), $"""
                <?xml version="1.0"?>
                <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
                <fontconfig>
                  <dir>{Path.Combine(folder, "fontconfig", "fonts")}</dir>
                  <cachedir>{Path.Combine(folder, "fontconfig", "cache")}</cachedir>
                </fontconfig>
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(staging, CompleteMarker), "", ct);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            try
            {
                System.IO.Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, CompleteMarker)))
            {
                // Another process put its copy in place first.
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(staging))
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static async Task ExtractAsync(string archive, string into, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(into);
        await using var input = new BrotliStream(File.OpenRead(archive), CompressionMode.Decompress);
        await TarFile.ExtractToDirectoryAsync(input, into, overwriteFiles: true, ct);
    }
}
