using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Capture;

// Inside the namespace: libphonenumber's global PhoneNumbers namespace would otherwise hide the type.
using LeadFunctions.Domain.Matching;

/// <summary>The rules of a record, applied to a capture form: a contact is required, and errors use the form's field names.</summary>
public static class CaptureValidator
{
    public static ValidationErrors Validate(CaptureInput input, PhoneNumbers phones)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = LeadValidator.Validate(input.ToLeadInput(), phones, requireContact: true);
        errors.Rename("description", "message");
        return errors;
    }
}
