namespace LeadFunctions.Accuracy;

/// <summary>How a true duplicate differs from the record it duplicates: what real forms and people produce.</summary>
public enum Variation
{
    /// <summary>The same address as before: a form sent twice, perhaps in other letter case.</summary>
    SameEmail,
    /// <summary>Letter case of name, company and email changed ("JOHN SMITH", "Ann@Acme.test").</summary>
    Case,
    /// <summary>Accents dropped ("José Müller" → "Jose Muller").</summary>
    Accents,
    /// <summary>A gmail address with dots moved or a +tag ("ann.lee+news@gmail.com").</summary>
    GmailDots,
    /// <summary>A nickname for the first name ("William" → "Bill", "Robert" → "Bob").</summary>
    Nickname,
    /// <summary>The first name as an initial ("J. Smith").</summary>
    Initial,
    /// <summary>One typo in the name by keyboard distance ("Smith" → "Smitg").</summary>
    Typo,
    /// <summary>Last name first ("Smith John", "Smith, John").</summary>
    SwappedNames,
    /// <summary>A legal form added, dropped or changed ("Acme" → "Acme Inc.").</summary>
    CompanySuffix,
    /// <summary>Words abbreviated or punctuated otherwise ("and" → "&amp;", "Kuhn-Boehm" → "Kuhn Boehm").</summary>
    CompanyAbbreviation,
    /// <summary>The same phone number written otherwise ("+49 1512 3456789" → "01512/3456789").</summary>
    PhoneFormat,
    /// <summary>The phone without its country prefix, the country given by name ("0151 2345678", "Germany").</summary>
    PhoneCountryPrefix,
    /// <summary>Two neighbouring digits of the phone swapped.</summary>
    PhoneTransposition,
    /// <summary>Another address at the same company ("john.smith@acme.test" → "jsmith@acme.test").</summary>
    NewEmailSameCompany,
    /// <summary>The company's other domain, with or without a hyphen ("acme-corp.test" → "acmecorp.test").</summary>
    DomainHyphen,
    /// <summary>The person's own free-mail address instead of the work one.</summary>
    PersonalEmail,
    /// <summary>No email at all (a call or a business card).</summary>
    NoEmail,
}

/// <summary>Records that look alike and are different people: what a good detector must not pair.</summary>
public enum HardNegative
{
    /// <summary>Same first and last name, another company, email and phone.</summary>
    Namesake,
    /// <summary>Another person at the same company: same company name and email domain.</summary>
    Colleague,
    /// <summary>Another person on the same free-mail provider, with a similar local part.</summary>
    SharedFreeMail,
    /// <summary>A family member: same last name and home phone, another first name and email.</summary>
    FamilyPhone,
}

/// <summary>
/// One generated record and its label. Records of one <see cref="Cluster"/> are the same person
/// (true duplicates); every other pair is not. A variant names the variations that made it from its
/// cluster's first record; a hard negative names its kind and the cluster it resembles.
/// </summary>
public sealed record LabelledRecord(
    int Index,
    int Cluster,
    string ContactName,
    string? Email,
    string? Phone,
    string? CompanyName,
    string? Country,
    IReadOnlyList<Variation> Variations,
    HardNegative? Negative = null,
    int? Resembles = null)
{
    /// <summary>The record's title, as a form would make it.</summary>
    public string Name => CompanyName is null ? $"Enquiry from {ContactName}" : $"{CompanyName}: enquiry from {ContactName}";

    public bool IsVariant => Variations.Count > 0;
}
