namespace LeadFunctions.Azurite;

/// <summary>The repository checkout: the folder holding both package.json (for Azurite) and LeadFunctions.sln.</summary>
public static class RepositoryRoot
{
    public static string? Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "LeadFunctions.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
