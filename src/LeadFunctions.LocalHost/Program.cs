using LeadFunctions.LocalHost;

await using var app = await LocalHostApp.BuildAsync(args);
await app.RunAsync();
