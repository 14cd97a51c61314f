using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using LeadFunctions.Domain;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost.Queues;

/// <summary>Builds a queue function's arguments the way the worker's queue extension does.</summary>
internal sealed class QueueMessageBinder
{
    private const string Accepted =
        "the trigger as string, BinaryData, byte[] or a JSON POCO; CancellationToken; ILogger; and the metadata id, popReceipt, dequeueCount, insertionTime, expirationTime, nextVisibleTime";

    private readonly Func<BinaryData, QueueMessage, ILogger, CancellationToken, object?>[] binders;

    /// <exception cref="NotSupportedException">A parameter the local host cannot bind, so start-up fails naming it.</exception>
    public QueueMessageBinder(FunctionDescriptor function)
    {
        binders = function.Method.GetParameters().Select(p => CreateBinder(function, p)).ToArray();
    }

    /// <param name="body">The decoded message content.</param>
    public object?[] Bind(BinaryData body, QueueMessage message, ILogger logger, CancellationToken cancellationToken)
    {
        var arguments = new object?[binders.Length];
        for (var i = 0; i < binders.Length; i++)
        {
            arguments[i] = binders[i](body, message, logger, cancellationToken);
        }

        return arguments;
    }

    private static Func<BinaryData, QueueMessage, ILogger, CancellationToken, object?> CreateBinder(FunctionDescriptor function, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (parameter.Name == function.Queue!.ParameterName)
        {
            if (type == typeof(string))
            {
                return (body, _, _, _) => body.ToString();
            }

            if (type == typeof(BinaryData))
            {
                return (body, _, _, _) => body;
            }

            if (type == typeof(byte[]))
            {
                return (body, _, _, _) => body.ToArray();
            }

            FunctionParameters.RejectFunctionContext(function, parameter);
            return (body, _, _, _) => JsonSerializer.Deserialize(body, type, JsonDefaults.Options);
        }

        FunctionParameters.RejectFunctionContext(function, parameter);
        if (type == typeof(CancellationToken))
        {
            return (_, _, _, cancellationToken) => cancellationToken;
        }

        if (type == typeof(ILogger))
        {
            return (_, _, logger, _) => logger;
        }

        Func<QueueMessage, object?>? metadata = parameter.Name?.ToLowerInvariant() switch
        {
            "id" => m => m.MessageId,
            "popreceipt" => m => m.PopReceipt,
            "dequeuecount" => m => m.DequeueCount,
            "insertiontime" => m => m.InsertedOn,
            "expirationtime" => m => m.ExpiresOn,
            "nextvisibletime" => m => m.NextVisibleOn,
            _ => null,
        };
        if (metadata is null)
        {
            throw FunctionParameters.Unsupported(function, parameter, Accepted);
        }

        return (_, message, _, _) => ConvertMetadata(metadata(message), type);
    }

    private static object? ConvertMetadata(object? value, Type type) => value switch
    {
        null => null,
        _ when type.IsInstanceOfType(value) => value,
        _ when type == typeof(string) => value is DateTimeOffset time ? time.ToString("O") : value.ToString(),
        DateTimeOffset time when type == typeof(DateTime) || type == typeof(DateTime?) => time.UtcDateTime,
        _ => System.Convert.ChangeType(value, Nullable.GetUnderlyingType(type) ?? type, System.Globalization.CultureInfo.InvariantCulture),
    };
}
