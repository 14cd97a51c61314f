namespace LeadFunctions.Domain.Matching;

/// <summary>
/// First names that name one person: a formal name and the short forms people go by ("William",
/// "Bill", "Will", "Billy"), in the languages our customers' forms are filled in. A name in
/// several groups ("Alex": Alexander, Alexandra, Alejandro) takes its first group's name; the pair
/// score (not this table) decides whether two records are one person.
/// </summary>
public static class Nicknames
{
    private static readonly string[] Groups =
    [
        "william bill will billy willy liam wilhelm willem wim", "robert bob rob bobby robbie bert", "richard rick dick rich richie ricky",
        "james jim jimmy jamie", "john jack johnny jon", "michael mike mick mikey micha", "elizabeth liz beth betty lisa eliza libby elise",
        "margaret maggie peggy meg marge greta", "katherine kate kathy katie kat", "catherine cathy cate", "thomas tom tommy thom",
        "joseph joe joey", "charles charlie chuck chas", "christopher chris kit topher", "daniel dan danny", "matthew matt matty",
        "anthony tony", "steven steve stevie", "stephen steve", "edward ed ted eddie ned", "jennifer jen jenny", "patricia pat patty trish tricia",
        "susan sue susie suzy", "deborah deb debbie", "alexander alex sasha xander sandy", "benjamin ben benny", "samuel sam sammy",
        "nicholas nick nicky", "jonathan jon jonny", "timothy tim timmy", "andrew andy drew", "kenneth ken kenny", "ronald ron ronnie",
        "donald don donny", "gregory greg", "jeffrey jeff", "lawrence larry", "raymond ray", "frederick fred freddie freddy",
        "victoria vicky tori", "rebecca becky becca", "jessica jess jessie", "abigail abby", "christine chris tina christina",
        "barbara barb babs", "dorothy dot dottie", "johannes hans jo johann", "friedrich fritz", "wolfgang wolf", "francisco paco pancho",
        "jose pepe", "guillermo memo", "alejandro alex", "dolores lola", "ignacio nacho", "manuel manolo", "frederic fred",
        "nicolas nico", "jacobus koos jaap", "cornelis kees", "wilhelmina willemien mien", "alexandra alex", "albert al bert",
        "alfred alf alfie", "anne annie ann anna", "antonio toni", "benedict ben", "bradley brad", "cameron cam", "carolyn carol",
        "cynthia cindy", "douglas doug", "eugene gene", "florence flo", "gerald gerry jerry", "harold harry", "henry hank harry",
        "isabel isabella bella izzy", "jacqueline jackie", "joshua josh", "judith judy", "leonard leo len lenny", "louis lou",
        "madeline maddie", "mathilde tilda", "melissa mel", "nathaniel nate nathan", "oliver ollie", "pamela pam", "penelope penny",
        "philip phil pip", "phillip phil", "randolph randy", "rosemary rose", "sebastian seb", "stanley stan", "theodore theo ted",
        "valentina vale", "vincent vince vinny", "walter walt", "zachary zach zack", "giuseppe beppe", "francesca franca",
    ];

    private static readonly Dictionary<string, string> Canonical = Build();

    private static readonly HashSet<string>[] Members = [.. Groups.Select(g => new HashSet<string>(g.Split(' '), StringComparer.Ordinal))];

    private static Dictionary<string, string> Build()
    {
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            var names = group.Split(' ');
            foreach (var name in names)
            {
                canonical.TryAdd(name, names[0]);
            }
        }
        return canonical;
    }

    /// <summary>The group's name for a folded first name ("bill" → "william"), or the name itself.</summary>
    public static string CanonicalOf(string folded) => Canonical.TryGetValue(folded, out var name) ? name : folded;

    /// <summary>Whether two folded first names are one name or go by one another.</summary>
    public static bool Same(string a, string b)
    {
        if (a == b || CanonicalOf(a) == CanonicalOf(b))
        {
            return true;
        }
        // A short form of two groups ("alex", "chris", "steve", "harry") matches either.
        return Members.Any(names => names.Contains(a) && names.Contains(b));
    }
}
