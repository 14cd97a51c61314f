namespace LeadFunctions.Domain.Conversion;

// Serialized kebab-case lower ("convert", "link", "auto") by JsonDefaults.

/// <summary>What a conversion does with the lead (SPEC 4.3): convert it alone, or merge it with its duplicates first.</summary>
public enum ConversionAction { Convert, Merge }

/// <summary>The customer a single conversion gives the opportunity: a new one, an existing one, or none.</summary>
public enum CustomerMode { Create, Link, None }

/// <summary>
/// The customer of a bulk conversion: <see cref="Auto"/> links the customer that has the lead's
/// normalized email and creates one otherwise; <see cref="Create"/> always creates; <see cref="None"/> links nothing.
/// </summary>
public enum BulkCustomerMode { Auto, Create, None }
