using System.Net;
using System.Net.Sockets;
using Azure.Storage.Queues;
using LeadFunctions.Azurite;
using LeadFunctions.Functions;
using LeadFunctions.Functions.Configuration;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.LocalHost.Http;
using LeadFunctions.LocalHost.Identity;
using LeadFunctions.LocalHost.Metadata;
using LeadFunctions.LocalHost.Queues;
using LeadFunctions.LocalHost.Timers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace LeadFunctions.LocalHost;

/// <summary>Builds the local host: the function app's services, its HTTP functions on Kestrel, its queue listeners, and Azurite when no storage is configured.</summary>
public static class LocalHostApp
{
    public const int DefaultPort = 7071;
    public const string StorageSetting = "AzureWebJobsStorage";
    public const string MetadataFileSetting = "LocalHost:MetadataFile";
    public const string HostJsonFileSetting = "LocalHost:HostJsonFile";
    public const string QueuesEnabledSetting = "LocalHost:Queues:Enabled";

    /// <summary>Off in tests that count executions: the timer functions then run only when called.</summary>
    public const string TimersEnabledSetting = "LocalHost:Timers:Enabled";

    /// <summary>How long a received message stays invisible before its next renewal is due (renewed at half).</summary>
    public const string QueueLeaseSetting = "LocalHost:Queues:Lease";
    public const string AzuriteInMemorySetting = "LocalHost:Azurite:InMemory";

    /// <summary>Tests that start many hosts turn the start-up listing off so their output stays readable.</summary>
    public const string BannerSetting = "LocalHost:Banner";

    /// <summary>Builds, not starts, the app; the caller starts, stops and disposes it. The app owns the Azurite it started.</summary>
    /// <param name="args">Command line; <c>--port N</c> picks the port (0: any free one).</param>
    /// <param name="configure">Runs after every other configuration source is added, so its values win.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            // A developer's machine unless told otherwise (--environment, or the usual variables): `dotnet run` here has no launch profile to say so.
            EnvironmentName = ArgumentValue(args, "--environment")
                ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Development,
        });
        LocalSettingsFile.AddBelowOtherSources(builder.Configuration, RepositoryRoot.Find());
        configure?.Invoke(builder.Configuration);
        var configuration = builder.Configuration;

        var catalog = FunctionCatalog.Load(configuration[MetadataFileSetting] ?? Path.Combine(AppContext.BaseDirectory, FunctionCatalog.FileName));
        var settings = HostJsonSettings.Load(configuration[HostJsonFileSetting] ?? Path.Combine(AppContext.BaseDirectory, "host.json"));
        var queueBinders = catalog.Functions.Where(f => f.Queue is not null).ToDictionary(f => f, f => new QueueMessageBinder(f));
        var frontEnd = PlatformHops.Read(configuration);
        var timers = catalog.Functions.Where(f => f.Timer is not null).ToDictionary(f => f, f => TimerFunctionListener.Schedule(f, configuration));

        var azurite = await StartAzuriteUnlessConfiguredAsync(configuration);
        ReservedLoopbackPort? reserved = null;
        DevIdentityListener? identityListener = null;
        try
        {
            var port = configuration.GetValue("port", DefaultPort);
            reserved = port == 0 ? ReservedLoopbackPort.Bind() : null;
            identityListener = builder.Environment.IsDevelopment() ? DevIdentityListener.Create(configuration, port) : null;
            ConfigureKestrel(builder, port, reserved, identityListener);
            // Before AddLeadFunctions, which reads Auth:Authority, Auth:Audience and Auth:ClientId.
            var identity = identityListener is null ? null : DevIdentity.ApplyDefaults(configuration, builder.Environment, identityListener.BaseAddress);
            if (identity is not null)
            {
                builder.Services.AddDevIdentity(identity, identityListener!.Certificate);
            }

            var functionKey = configuration[FunctionKeyAuthorization.ConfigurationKey];
            var authorization = new FunctionKeyAuthorization(string.IsNullOrEmpty(functionKey) ? FunctionKeyAuthorization.DefaultKey : functionKey);

            builder.Services.AddMvcCore();
            builder.Services.AddLeadFunctions(configuration);
            builder.Services.AddSingleton<FunctionExecutions>();
            // Where the worker's own package adds its invocation spans, the local host has ASP.NET Core's request spans and its own.
            builder.Services.AddLeadFunctionsTelemetry(configuration)?.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(FunctionExecutions.ActivitySourceName));
            builder.Services.AddSingleton(catalog);
            builder.Services.AddSingleton(settings);
            builder.Services.AddSingleton(authorization);
            if (azurite is not null)
            {
                // Registered through a factory so the container disposes it with the app.
                builder.Services.AddSingleton(_ => azurite);
            }

            if (configuration.GetValue(QueuesEnabledSetting, defaultValue: true))
            {
                var lease = QueueLease(configuration);
                foreach (var (function, binder) in queueBinders)
                {
                    var connection = QueueConnection(configuration, function);
                    builder.Services.AddSingleton<IHostedService>(services =>
                    {
                        var executions = services.GetRequiredService<FunctionExecutions>();
                        // Raw text on the wire: decoding in the listener lets a bad message count as a failed invocation instead of vanishing.
                        var queues = connection.CreateQueues(services.GetRequiredService<AzureComponentFactory>(), executions.HostRequests, QueueMessageEncoding.None);
                        return new QueueFunctionListener(function, binder, queues, settings, lease, services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<ILoggerFactory>(), executions);
                    });
                }
            }

            if (configuration.GetValue(TimersEnabledSetting, defaultValue: true))
            {
                foreach (var (function, schedule) in timers)
                {
                    builder.Services.AddSingleton<IHostedService>(services => new TimerFunctionListener(
                        function, schedule, services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<TimeProvider>()));
                }
            }

            if (reserved is not null)
            {
                // Kestrel disposes the socket it was handed at stop; the container disposes one it never took.
                builder.Services.AddSingleton(_ => reserved);
            }
            if (identityListener is not null)
            {
                builder.Services.AddSingleton(_ => identityListener);
            }

            var app = builder.Build();
            if (azurite is not null)
            {
                app.Services.GetRequiredService<AzuriteProcess>();
                app.Lifetime.ApplicationStopped.Register(() => azurite.DisposeAsync().AsTask().GetAwaiter().GetResult());
            }
            if (reserved is not null)
            {
                app.Services.GetRequiredService<ReservedLoopbackPort>();
                app.Lifetime.ApplicationStopped.Register(reserved.Dispose);
            }
            if (identityListener is not null)
            {
                app.Services.GetRequiredService<DevIdentityListener>();
                app.Lifetime.ApplicationStopped.Register(identityListener.Dispose);
            }

            app.UseThisMachineOnly();
            app.UseTransportPeer();
            app.UsePlatformHops(frontEnd);
            app.UseProblemStatusPages();
            if (identity is not null)
            {
                app.UseDevIdentityCors();
                app.MapDevIdentity();
            }
            app.MapHttpFunctions(catalog, settings, authorization);
            if (configuration.GetValue(BannerSetting, defaultValue: true))
            {
                app.Lifetime.ApplicationStarted.Register(() =>
                    Console.WriteLine(StartupBanner.Format(catalog, settings, GetBaseAddress(app), string.IsNullOrEmpty(functionKey), identity)));
            }

            return app;
        }
        catch
        {
            reserved?.Dispose();
            identityListener?.Dispose();
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            throw;
        }
    }

    private static string? ArgumentValue(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>The http address Kestrel bound, e.g. http://127.0.0.1:54321/ when started on port 0. Valid once the app started.</summary>
    public static Uri GetBaseAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        // The development sign-in's https listener is listed too; the host's own address is the http one.
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("The local host is not listening yet: call StartAsync first.");
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, int port, ReservedLoopbackPort? reserved, DevIdentityListener? identity)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel binds "localhost" to both loopbacks but cannot pick a dynamic port for it: port 0 is 127.0.0.1 only.
            if (reserved is not null)
            {
                kestrel.Listen(reserved.EndPoint, listen => listen.UseProblemRejections());
            }
            else
            {
                kestrel.ListenLocalhost(port, listen => listen.UseProblemRejections());
            }
            identity?.Listen(kestrel);
        });
        if (reserved is not null || identity?.Reserved is not null)
        {
            builder.Services.Configure<SocketTransportOptions>(sockets =>
            {
                var bindDefault = sockets.CreateBoundListenSocket;
                sockets.CreateBoundListenSocket = endPoint => reserved?.TakeFor(endPoint) ?? identity?.Reserved?.TakeFor(endPoint) ?? bindDefault(endPoint);
            });
        }
    }

    private static async Task<AzuriteProcess?> StartAzuriteUnlessConfiguredAsync(ConfigurationManager configuration)
    {
        var configured = configuration[StorageSetting];
        var developmentStorage = string.Equals(configured?.Trim().TrimEnd(';'), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(configured) && !(developmentStorage && !IsListening(AzuriteOptions.DefaultPorts.QueuePort)))
        {
            return null;
        }

        // An identity-based connection (AzureWebJobsStorage__accountName, __credential, …) is a real account, checked at start.
        if (configuration.GetSection(StorageSetting).GetChildren().Any(setting => !string.IsNullOrWhiteSpace(setting.Value)))
        {
            return null;
        }

        var root = RepositoryRoot.Find();
        var options = AzuriteOptions.DefaultPorts with
        {
            InMemory = configuration.GetValue(AzuriteInMemorySetting, defaultValue: false),
            RepositoryRoot = root,
        };
        Console.WriteLine($"No {StorageSetting} configured: starting Azurite ({(options.InMemory ? "in memory" : "data in " + Path.Combine(root ?? ".", ".azurite"))}).");
        var azurite = await AzuriteProcess.StartAsync(options, CancellationToken.None);
        // Set before the function services are built so they connect to this Azurite.
        configuration[StorageSetting] = azurite.ConnectionString;
        return azurite;
    }

    private static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// 30 seconds unless set: a killed host's in-flight messages come back that long after it died,
    /// which keeps recovery quick; a running invocation keeps its message by renewing.
    /// </summary>
    private static TimeSpan QueueLease(ConfigurationManager configuration)
    {
        var text = configuration[QueueLeaseSetting];
        if (string.IsNullOrEmpty(text))
        {
            return TimeSpan.FromSeconds(30);
        }
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var lease) && lease >= TimeSpan.FromSeconds(1) && lease <= TimeSpan.FromDays(7)
            ? lease
            : throw new OptionsValidationException(QueueLeaseSetting, typeof(TimeSpan), [$"{QueueLeaseSetting} is '{text}': give a time span from 00:00:01 to 7.00:00:00, such as 00:00:30."]);
    }

    /// <summary>The trigger's connection, read as the app reads AzureWebJobsStorage (a connection string or an identity).</summary>
    private static StorageConnection QueueConnection(ConfigurationManager configuration, FunctionDescriptor function)
    {
        var connection = StorageConnection.From(configuration, function.Queue!.Connection);
        return connection.Problem is { } problem
            ? throw new OptionsValidationException(function.Queue.Connection, typeof(StorageConnection), [$"Function {function.Name} (queue '{function.Queue.QueueName}'): {problem}"])
            : connection;
    }
}
