using LeadFunctions.LocalHost;
using Microsoft.Extensions.Options;

// The document /api/openapi.json serves, written to a file: for client generators at build time.
if (args is ["--openapi-out", var path])
{
    await File.WriteAllTextAsync(path, LeadFunctions.Functions.OpenApi.OpenApiDocument.Text);
    return 0;
}

try
{
    await using var app = await LocalHostApp.BuildAsync(args);
    await app.RunAsync();
}
catch (OptionsValidationException e)
{
    // A wrong setting is the user's to fix, not a crash: say which and stop.
    Console.Error.WriteLine("The local host cannot start: a setting is not valid.");
    foreach (var failure in e.Failures)
    {
        Console.Error.WriteLine($"  {failure}");
    }
    return 1;
}
return 0;
