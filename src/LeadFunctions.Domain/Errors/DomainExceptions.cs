using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Errors;

/// <summary>Bad input: answered 400 with the field messages.</summary>
public sealed class ValidationException(ValidationErrors errors)
    : Exception("The request is not valid: " + errors)
{
    public ValidationErrors Errors { get; } = errors;

    public static ValidationException For(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return new ValidationException(errors);
    }
}

/// <summary>An unknown record: answered 404.</summary>
public sealed class NotFoundException(string what, string id) : Exception($"No {what} has the id '{id}'.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}

/// <summary>The record is not in a state that allows the operation: answered 409 with the reason.</summary>
public sealed class ConflictException(string message, string? mergedInto = null) : Exception(message)
{
    public string? MergedInto { get; } = mergedInto;
}

/// <summary>If-Match did not match the record's version: answered 412.</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);

/// <summary>No credential, or one that proves nothing (401): the caller should sign in or send a valid key.</summary>
public sealed class UnauthorizedException(string message, bool invalidToken = false) : Exception(message)
{
    /// <summary>A bearer token was sent and refused (RFC 6750 error="invalid_token"), rather than none sent.</summary>
    public bool InvalidToken { get; } = invalidToken;
}

/// <summary>A known caller that may not do this (403): a role too low, a deactivated salesperson, a person not let in yet.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
