using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions;

/// <summary>The one place services are registered: the function app's Program.cs and the local host both call it.</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddLeadFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
