using LeadFunctions.Domain.Access;

namespace LeadFunctions.Infrastructure.Access;

/// <summary>
/// The actor of the work under way. An HTTP function sets it once it has authorized the request;
/// everything the request writes (log entries, events, merge and import records) reads it here, so
/// that no handler can forget to pass it on. Work that no request started (queue and timer
/// functions) is the system's.
/// </summary>
public static class ActorScope
{
    private static readonly AsyncLocal<Actor?> current = new();

    public static Actor Current => current.Value ?? Actor.System;

    /// <summary>Makes <paramref name="actor"/> the actor until the returned scope is disposed.</summary>
    public static IDisposable Begin(Actor actor)
    {
        var previous = current.Value;
        current.Value = actor;
        return new Restore(previous);
    }

    private sealed class Restore(Actor? previous) : IDisposable
    {
        public void Dispose() => current.Value = previous;
    }
}
