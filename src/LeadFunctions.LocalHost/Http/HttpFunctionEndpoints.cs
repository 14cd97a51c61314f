using System.Reflection;
using LeadFunctions.LocalHost.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace LeadFunctions.LocalHost.Http;

/// <summary>Maps the httpTrigger functions onto ASP.NET Core routing at /{routePrefix}/{route}, as the Azure host does.</summary>
public static class HttpFunctionEndpoints
{
    private const string Accepted = "the trigger's HttpRequest, CancellationToken, ILogger and route values (string or types convertible from string)";

    public static IEndpointRouteBuilder MapHttpFunctions(
        this IEndpointRouteBuilder endpoints, FunctionCatalog catalog, HostJsonSettings settings, FunctionKeyAuthorization authorization)
    {
        var loggerFactory = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>();
        foreach (var function in catalog.Functions.Where(f => f.Http is not null))
        {
            var handler = CreateHandler(function, authorization, loggerFactory.CreateLogger($"Function.{function.Name}"));
            var pattern = RoutePattern(settings, function.Http!);
            var builder = function.Http!.Methods is { } methods
                ? endpoints.MapMethods(pattern, methods, handler)
                : endpoints.Map(pattern, handler);
            builder.WithDisplayName(function.Name);
        }

        return endpoints;
    }

    public static string RoutePattern(HostJsonSettings settings, HttpTriggerBinding http) =>
        settings.RoutePrefix.Length == 0 ? "/" + http.Route : $"/{settings.RoutePrefix}/{http.Route}";

    private static RequestDelegate CreateHandler(FunctionDescriptor function, FunctionKeyAuthorization authorization, ILogger logger)
    {
        var binders = function.Method.GetParameters().Select(p => CreateBinder(function, p, logger)).ToArray();
        var invoker = new FunctionMethodInvoker(function);
        var level = function.Http!.AuthLevel;

        return async context =>
        {
            if (!authorization.IsAuthorized(context.Request, level))
            {
                await FunctionKeyAuthorization.RefuseAsync(context);
                return;
            }

            var arguments = new object?[binders.Length];
            try
            {
                for (var i = 0; i < binders.Length; i++)
                {
                    arguments[i] = binders[i](context);
                }
            }
            catch (FormatException ex)
            {
                await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad route value", ex.Message);
                return;
            }

            try
            {
                var result = await invoker.InvokeAsync(context.RequestServices, arguments);
                await WriteResultAsync(context, result);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client left; nobody reads an answer.
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Function {FunctionName} failed on {Method} {Path}", function.Name, context.Request.Method, context.Request.Path);
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await ProblemResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error", $"Function {function.Name} failed.");
                }
            }
        };
    }

    private static Func<HttpContext, object?> CreateBinder(FunctionDescriptor function, ParameterInfo parameter, ILogger logger)
    {
        var type = parameter.ParameterType;
        if (parameter.Name == function.Http!.ParameterName)
        {
            return type.IsAssignableFrom(typeof(HttpRequest))
                ? context => context.Request
                : throw FunctionParameters.Unsupported(function, parameter, "an HttpRequest for the HTTP trigger (HttpRequestData needs the worker)");
        }

        FunctionParameters.RejectFunctionContext(function, parameter);
        if (type == typeof(CancellationToken))
        {
            return context => context.RequestAborted;
        }

        if (type == typeof(ILogger))
        {
            return _ => logger;
        }

        if (FunctionParameters.IsConvertibleFromString(type))
        {
            var name = parameter.Name!;
            return context => context.Request.RouteValues.TryGetValue(name, out var value) && value?.ToString() is { } text
                ? FunctionParameters.Convert(parameter, text)
                : FunctionParameters.Missing(parameter);
        }

        throw FunctionParameters.Unsupported(function, parameter, Accepted);
    }

    private static async Task WriteResultAsync(HttpContext context, object? result)
    {
        switch (result)
        {
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult httpResult:
                await httpResult.ExecuteAsync(context);
                break;
            case HttpResponse:
                break;
            case null:
                // Nothing returned and nothing written: the answer has no content.
                if (!context.Response.HasStarted && context.Response.StatusCode == StatusCodes.Status200OK)
                {
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                }

                break;
            default:
                await new ObjectResult(result).ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
        }
    }
}
