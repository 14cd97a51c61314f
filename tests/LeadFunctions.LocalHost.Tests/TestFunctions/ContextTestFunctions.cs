using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.LocalHost.Tests.TestFunctions;

public sealed class ContextTestFunctions
{
    public void Run(HttpRequest req, FunctionContext context)
    {
    }
}
