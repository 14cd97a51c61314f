using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace LeadFunctions.LocalHost.Metadata;

/// <summary>Parameter rules shared by the HTTP and queue triggers.</summary>
internal static class FunctionParameters
{
    public static void RejectFunctionContext(FunctionDescriptor function, ParameterInfo parameter)
    {
        // Matched by name: the worker's FunctionContext cannot be built outside the worker, so no instance is ever offered.
        for (var type = parameter.ParameterType; type is not null; type = type.BaseType)
        {
            if (type.FullName == "Microsoft.Azure.Functions.Worker.FunctionContext")
            {
                throw new NotSupportedException(
                    $"Function {function.Name}: parameter '{parameter.Name}' is a FunctionContext, which the local host cannot provide. " +
                    "Inject ILogger<T> or other services through the constructor instead.");
            }
        }
    }

    public static NotSupportedException Unsupported(FunctionDescriptor function, ParameterInfo parameter, string accepted) => new(
        $"Function {function.Name}: the local host cannot bind parameter '{parameter.Name}' of type {parameter.ParameterType.Name}; it binds {accepted}.");

    public static bool IsConvertibleFromString(Type type) =>
        type == typeof(string) || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    public static object? Missing(ParameterInfo parameter) =>
        parameter.HasDefaultValue ? parameter.DefaultValue
        : parameter.ParameterType.IsValueType ? Activator.CreateInstance(parameter.ParameterType)
        : null;

    /// <exception cref="FormatException">The text is no value of the parameter's type.</exception>
    public static object? Convert(ParameterInfo parameter, string text)
    {
        if (parameter.ParameterType == typeof(string))
        {
            return text;
        }

        try
        {
            return TypeDescriptor.GetConverter(parameter.ParameterType).ConvertFromInvariantString(text);
        }
        catch (Exception ex)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a valid {parameter.ParameterType.Name} for '{parameter.Name}'."), ex);
        }
    }
}
