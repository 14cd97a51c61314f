using Azure.Messaging.ServiceBus;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Functions.Configuration;
using LeadFunctions.Functions.Features.Access;
using LeadFunctions.Functions.Features.Capture;
using LeadFunctions.Functions.Features.Conversion;
using LeadFunctions.Functions.Features.Directory;
using LeadFunctions.Functions.Features.Erasure;
using LeadFunctions.Functions.Features.Events;
using LeadFunctions.Functions.Features.Imports;
using LeadFunctions.Functions.Features.Ingest;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Functions.Features.Retention;
using LeadFunctions.Functions.Features.Routing;
using LeadFunctions.Functions.Features.Webhooks;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Erasures;
using LeadFunctions.Infrastructure.Imports;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Routing;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.Infrastructure.Webhooks;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions;

/// <summary>The one place services are registered: the function app's Program.cs and the local host both call it.</summary>
public static class ServiceCollectionExtensions
{
    public const string StorageSetting = StorageConnection.Setting;

    public static IServiceCollection AddLeadFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMemoryCache();
        services.AddSingleton(TimeProvider.System);
        services.AddCheckedSettings(configuration);
        // The factory the Functions host uses for identity-based connections (credential, clientId, …).
        services.AddAzureClientsCore();
        services.AddSingleton(s => new PhoneNumbers(s.GetRequiredService<IOptions<LeadsOptions>>().Value.DefaultPhoneRegion));
        services.AddSingleton<MatchKeys>();
        services.AddSingleton<PairScorer>();

        // Every request the app makes is counted: the cost model and the benchmark read the counts.
        services.AddSingleton<StorageRequests>();
        services.AddSingleton(s => s.GetRequiredService<IOptions<StorageConnection>>().Value.CreateTables(s.GetRequiredService<AzureComponentFactory>(), s.GetRequiredService<StorageRequests>()));
        services.AddSingleton(s => s.GetRequiredService<IOptions<StorageConnection>>().Value.CreateQueues(s.GetRequiredService<AzureComponentFactory>(), s.GetRequiredService<StorageRequests>()));
        services.AddSingleton<StorageClients>();
        services.AddKeyRing();
        services.AddAccess();
        services.AddSingleton(s => new LeadList(s.GetRequiredService<StorageClients>(), s.GetRequiredService<IOptions<LeadsOptions>>().Value.ListPageReadLimit));
        services.AddSingleton(s => new OutboxWriter(s.GetRequiredService<IOptions<EventsOptions>>().Value));
        services.AddSingleton<LeadStore>();
        services.AddSingleton<PendingChecks>();
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<DecisionTally>();
        services.AddSingleton<MatchIndex>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<SimilarEdges>();
        services.AddSingleton<IngestRecovery>();
        services.AddSingleton<Neighbours>();
        services.AddSingleton<KeyRelink>();
        services.AddSingleton<RelinkMarkers>();
        services.AddSingleton<IngestProcessor>();
        services.AddSingleton<RuleSweep>();
        services.AddSingleton<LeadUpdater>();
        services.AddSingleton<LeadCreator>();
        services.AddSingleton<LeadReader>();
        services.AddSingleton<LeadEditor>();
        services.AddSingleton<LeadReferences>();
        services.AddSingleton<DirectoryService>();
        services.AddSingleton<RoutingStore>();
        services.AddSingleton<LeadRouter>();
        services.AddSingleton<Assigner>();
        services.AddSingleton<RoutingSweep>();
        services.AddSingleton<CaptureGuard>();
        services.AddSingleton<Infrastructure.Idempotency.IdempotencyKeys>();
        services.AddSingleton<Http.IdempotentCreate>();
        services.AddSingleton<CaptureRateLimit>();
        services.AddSingleton<CaptureRetention>();
        services.AddHostedService<CaptureRateLimitSync>();
        services.AddSingleton<CaptureService>();
        services.AddSingleton<WriteFaults>();
        services.AddSingleton<MergeStore>();
        services.AddSingleton<MergeSteps>();
        services.AddSingleton<MergeRecovery>();
        services.AddSingleton<MergeWatchdog>();
        services.AddSingleton<MergeService>();
        services.AddSingleton<UndoService>();
        services.AddSingleton<ConversionProposals>();
        services.AddSingleton<ConvertHandler>();
        services.AddSingleton<PendingConversions>();
        services.AddSingleton<RecordConverter>();
        services.AddSingleton<BulkConversionHandler>();
        services.AddSingleton<ImportStore>();
        services.AddSingleton<ImportService>();
        services.AddEvents(configuration);
        services.AddSingleton<CleanupService>();
        services.AddSingleton<ErasureStore>();
        services.AddSingleton<ErasureFinder>();
        services.AddSingleton<ErasureRows>();
        services.AddSingleton<ErasurePlanner>();
        services.AddSingleton<ErasureSteps>();
        services.AddSingleton<ErasureService>();
        return services;
    }

    /// <summary>The outbox, its dispatcher and sweep, and the sinks that are on (SPEC 6).</summary>
    private static void AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OutboxQueue>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<OutboxSweep>();
        services.AddSingleton(s => s.GetRequiredService<IOptions<EventsOptions>>().Value);
        services.AddSingleton(s => s.GetRequiredService<EventsOptions>().Webhooks);
        services.AddSingleton(s => new WebhookTargets(s.GetRequiredService<WebhookSinkOptions>()));
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDeliverer>();
        services.AddSingleton<WebhookService>();
        // Always a sink: subscriptions are made through the API, and with none it reads nothing (cached).
        services.AddSingleton<IEventSink, WebhookSink>();
        // Which sinks exist is decided here, from the same section the start-up check reads.
        var events = SettingsValidation.ReadEvents(configuration);
        if (events.StorageQueue.Enabled)
        {
            // Its messages live as long as a sent event's outbox row: one setting for how long a sent event is kept.
            services.AddSingleton<IEventSink>(s => new StorageQueueSink(s.GetRequiredService<StorageClients>(),
                s.GetRequiredService<EventsOptions>().StorageQueue, s.GetRequiredService<IOptions<RetentionOptions>>().Value.SentEvents));
        }
        if (events.ServiceBus.Enabled)
        {
            services.AddSingleton(s =>
            {
                var bus = s.GetRequiredService<IOptions<EventsOptions>>().Value.ServiceBus;
                // Retries that fit in the dispatcher's time to send (OutboxDispatcher.SendWithin); beyond
                // them the events wait for the next wake, in order.
                var options = new ServiceBusClientOptions
                {
                    RetryOptions = new ServiceBusRetryOptions { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(2), TryTimeout = TimeSpan.FromSeconds(5) },
                };
                return string.IsNullOrWhiteSpace(bus.ConnectionString)
                    ? new ServiceBusClient(bus.FullyQualifiedNamespace,
                        s.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(configuration.GetSection("Events:ServiceBus")), options)
                    : new ServiceBusClient(bus.ConnectionString, options);
            });
            services.AddSingleton<IEventSink>(s =>
            {
                var bus = s.GetRequiredService<EventsOptions>().ServiceBus;
                return new ServiceBusSink(s.GetRequiredService<ServiceBusClient>().CreateSender(bus.Topic), bus.Payload);
            });
        }
    }
}
