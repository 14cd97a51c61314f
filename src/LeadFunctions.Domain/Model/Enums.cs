namespace LeadFunctions.Domain.Model;

// Serialized kebab-case lower ("duplicate-flagged") by JsonDefaults.
public enum LeadType { Lead, Opportunity }

public enum LeadStatus { Active, Won, Lost, Merged }

public enum DuplicateCheckStatus { Pending, Done, Failed }

public enum CustomerKind { Company, Person }

public enum LogKind { Created, Updated, DuplicateFlagged, Note, Converted, Merged, MergedInto, Unmerged, Won, Lost, Restored, Imported, Assigned }

/// <summary>The similar-record rules of SPEC 4.2, reported per match as matchedOn.</summary>
public enum MatchRule { Email, EmailAlias, Phone, Domain, Customer, Company, CompanyName, ContactName }
