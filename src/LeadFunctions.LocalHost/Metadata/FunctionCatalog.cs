using System.Reflection;
using System.Text.Json;

namespace LeadFunctions.LocalHost.Metadata;

public enum FunctionAuthLevel
{
    Anonymous,
    Function,
    Admin,
}

/// <param name="Methods">Upper-case HTTP methods; null means every method.</param>
/// <param name="Route">The route without the host's prefix; the function name when the metadata has none.</param>
public sealed record HttpTriggerBinding(string ParameterName, FunctionAuthLevel AuthLevel, IReadOnlyList<string>? Methods, string Route);

public sealed record QueueTriggerBinding(string ParameterName, string QueueName, string Connection);

/// <param name="Schedule">The NCRONTAB expression as written, possibly a %setting% the host resolves at start.</param>
public sealed record TimerTriggerBinding(string ParameterName, string Schedule, bool RunOnStartup);

public sealed record FunctionDescriptor(string Name, MethodInfo Method, HttpTriggerBinding? Http, QueueTriggerBinding? Queue, TimerTriggerBinding? Timer = null);

/// <summary>The functions described by a functions.metadata file (what the Azure host reads), resolved to methods.</summary>
public sealed class FunctionCatalog
{
    public const string FileName = "functions.metadata";

    private static readonly JsonSerializerOptions MetadataJson = new(JsonSerializerDefaults.Web);

    private FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions) => Functions = functions;

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    /// <param name="assembly">Where entry points live; null loads the assembly each entry's scriptFile names.</param>
    public static FunctionCatalog Load(string metadataPath, Assembly? assembly = null)
    {
        if (!File.Exists(metadataPath))
        {
            throw new FileNotFoundException($"No {FileName} at {metadataPath}: build LeadFunctions.Functions (its build writes the file).", metadataPath);
        }

        var entries = JsonSerializer.Deserialize<List<MetadataEntry>>(File.ReadAllText(metadataPath), MetadataJson)
            ?? throw new InvalidDataException($"{metadataPath} holds no function list.");
        return new FunctionCatalog(entries.Select(entry => Describe(entry, assembly)).ToList());
    }

    private static FunctionDescriptor Describe(MetadataEntry entry, Assembly? assembly)
    {
        var name = entry.Name ?? throw new InvalidDataException("A functions.metadata entry has no name.");
        var method = ResolveEntryPoint(name, entry.EntryPoint, assembly ?? LoadScriptAssembly(name, entry.ScriptFile));
        HttpTriggerBinding? http = null;
        QueueTriggerBinding? queue = null;
        TimerTriggerBinding? timer = null;
        foreach (var binding in entry.Bindings ?? [])
        {
            var type = binding.Type ?? "";
            if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                http = new HttpTriggerBinding(
                    binding.Name ?? "req",
                    ParseAuthLevel(name, binding.AuthLevel),
                    binding.Methods is { Count: > 0 } methods ? methods.Select(m => m.ToUpperInvariant()).ToList() : null,
                    string.IsNullOrWhiteSpace(binding.Route) ? name : binding.Route.Trim('/'));
            }
            else if (type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase))
            {
                queue = new QueueTriggerBinding(
                    binding.Name ?? "message",
                    binding.QueueName ?? throw new InvalidDataException($"Function {name}: its queueTrigger has no queueName."),
                    string.IsNullOrWhiteSpace(binding.Connection) ? "AzureWebJobsStorage" : binding.Connection);
            }
            else if (type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
            {
                timer = new TimerTriggerBinding(
                    binding.Name ?? "timer",
                    string.IsNullOrWhiteSpace(binding.Schedule) ? throw new InvalidDataException($"Function {name}: its timerTrigger has no schedule.") : binding.Schedule,
                    binding.RunOnStartup ?? false);
            }
            else if (!(type.Equals("http", StringComparison.OrdinalIgnoreCase) && binding.Name == "$return"))
            {
                // Silently dropping an output or input binding would make the local host lie about what the function does.
                throw new NotSupportedException($"Function {name}: the local host does not support the '{type}' binding '{binding.Name}'. Use an injected client instead.");
            }
        }

        if (http is null && queue is null && timer is null)
        {
            throw new NotSupportedException($"Function {name}: the local host supports httpTrigger, queueTrigger and timerTrigger functions only.");
        }

        return new FunctionDescriptor(name, method, http, queue, timer);
    }

    private static Assembly LoadScriptAssembly(string functionName, string? scriptFile)
    {
        if (string.IsNullOrWhiteSpace(scriptFile))
        {
            throw new InvalidDataException($"Function {functionName}: no scriptFile in functions.metadata.");
        }

        return Assembly.Load(new AssemblyName(Path.GetFileNameWithoutExtension(scriptFile)));
    }

    private static MethodInfo ResolveEntryPoint(string functionName, string? entryPoint, Assembly assembly)
    {
        var dot = entryPoint?.LastIndexOf('.') ?? -1;
        if (entryPoint is null || dot <= 0)
        {
            throw new InvalidDataException($"Function {functionName}: entryPoint '{entryPoint}' is not 'Namespace.Type.Method'.");
        }

        var typeName = entryPoint[..dot];
        var methodName = entryPoint[(dot + 1)..];
        var type = assembly.GetType(typeName)
            ?? throw new InvalidDataException($"Function {functionName}: type {typeName} not found in {assembly.GetName().Name}.");
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == methodName)
            .ToList();
        return methods.Count switch
        {
            1 => methods[0],
            0 => throw new InvalidDataException($"Function {functionName}: method {methodName} not found on {typeName}."),
            _ => throw new InvalidDataException($"Function {functionName}: method {methodName} on {typeName} is overloaded; the entry point must be unique."),
        };
    }

    private static FunctionAuthLevel ParseAuthLevel(string functionName, string? value) =>
        string.IsNullOrEmpty(value) ? FunctionAuthLevel.Function
        : Enum.TryParse<FunctionAuthLevel>(value, ignoreCase: true, out var level) && Enum.IsDefined(level) ? level
        : throw new InvalidDataException($"Function {functionName}: unknown authLevel '{value}'.");

    private sealed record MetadataEntry(string? Name, string? ScriptFile, string? EntryPoint, List<MetadataBinding>? Bindings);

    private sealed record MetadataBinding(
        string? Name,
        string? Type,
        string? Direction,
        string? AuthLevel,
        List<string>? Methods,
        string? Route,
        string? QueueName,
        string? Connection,
        string? Schedule,
        bool? RunOnStartup);
}
