using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.Functions.Http;

/// <summary>Query-string parameters shared by the list routes.</summary>
public static class Query
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static (int PageSize, string? ContinuationToken) Paging(HttpRequest request)
    {
        var pageSize = DefaultPageSize;
        if (request.Query.TryGetValue("pageSize", out var raw) && (!int.TryParse(raw, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            throw ValidationException.For("pageSize", $"A whole number from 1 to {MaxPageSize}.");
        }
        return (pageSize, request.Query["continuationToken"].FirstOrDefault());
    }

    /// <summary>An enumeration value by its wire name ("opportunity", "lost"), or a 400 naming the choices.</summary>
    public static T? Enum<T>(HttpRequest request, string name) where T : struct, System.Enum
    {
        if (request.Query[name].FirstOrDefault() is not { Length: > 0 } raw)
        {
            return null;
        }
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (string.Equals(Infrastructure.Leads.LeadRows.Wire(value), raw, StringComparison.Ordinal))
            {
                return value;
            }
        }
        throw ValidationException.For(name, $"One of: {string.Join(", ", System.Enum.GetValues<T>().Select(v => Infrastructure.Leads.LeadRows.Wire(v)))}.");
    }

    /// <summary>An id filter: anything that is not an id matches nothing, so it is refused up front.</summary>
    public static string? Id(HttpRequest request, string name)
    {
        if (request.Query[name].FirstOrDefault() is not { Length: > 0 } raw)
        {
            return null;
        }
        return Ids.IsWellFormed(raw) ? raw : throw ValidationException.For(name, "This is not a valid id.");
    }
}
