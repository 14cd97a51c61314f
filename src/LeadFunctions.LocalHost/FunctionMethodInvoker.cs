using System.Reflection;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost;

/// <summary>Calls one function method: a fresh instance per invocation (as the worker does), awaited, its result unwrapped.</summary>
internal sealed class FunctionMethodInvoker
{
    private readonly FunctionDescriptor function;
    private readonly MethodInfo method;
    private readonly ObjectFactory? factory;
    private readonly Func<object?, ValueTask<object?>> unwrap;

    public FunctionMethodInvoker(FunctionDescriptor function)
    {
        this.function = function;
        method = function.Method;
        factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
        unwrap = CreateUnwrapper(method.ReturnType);
    }

    public async ValueTask<object?> InvokeAsync(IServiceProvider services, object?[] arguments)
    {
        using var invocation = services.GetService<FunctionExecutions>()?.Start(function);
        var instance = factory?.Invoke(services, null);
        try
        {
            // DoNotWrapExceptions: callers log and answer the function's own exception, not a TargetInvocationException.
            var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            return await unwrap(returned);
        }
        catch (Exception e) when (invocation is not null)
        {
            invocation.Fail(e);
            throw;
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    // Decided from the declared type: an async Task method's runtime object is a Task<VoidTaskResult>, whose Result is no answer.
    private static Func<object?, ValueTask<object?>> CreateUnwrapper(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return _ => ValueTask.FromResult<object?>(null);
        }

        if (returnType == typeof(Task))
        {
            return async returned =>
            {
                await (Task)returned!;
                return null;
            };
        }

        if (returnType == typeof(ValueTask))
        {
            return async returned =>
            {
                await (ValueTask)returned!;
                return null;
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var result = returnType.GetProperty(nameof(Task<object>.Result))!;
            return async returned =>
            {
                var task = (Task)returned!;
                await task;
                return result.GetValue(task);
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = returnType.GetMethod(nameof(ValueTask<object>.AsTask))!;
            var result = typeof(Task<>).MakeGenericType(returnType.GetGenericArguments()).GetProperty(nameof(Task<object>.Result))!;
            return async returned =>
            {
                var task = (Task)asTask.Invoke(returned, null)!;
                await task;
                return result.GetValue(task);
            };
        }

        return returned => ValueTask.FromResult(returned);
    }
}
