using System.Text;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Tests.Tables;

/// <summary>TableKeys.Escape against Azurite: whatever the text, the key is one Table Storage accepts and finds again.</summary>
public sealed class TableKeysTests(SharedAzurite azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> NastyInputs =>
    [
        "a/b",
        @"a\b",
        "a#b",
        "a?b",
        "100%",
        "%2F",
        "%25",
        "tab\there",
        "line\nbreak\r",
        "\0nul",
        "del\u007f",
        "c1 controls \u0080\u0085\u009f",
        "all of them /\\#?%\t\u0001\u001f",
        "email:o'brien@acme.test",
        "2001:db8::1",
        "fe80::1%eth0",
        "ünï/cødé#😀?",
        "  spaced out  ",
        "'",
        "..",
    ];

    [Theory]
    [MemberData(nameof(NastyInputs))]
    public async Task An_escaped_key_holds_no_forbidden_character_and_is_stored_and_found_again(string nasty)
    {
        var key = TableKeys.Escape(nasty);

        ForbiddenIn(key).Should().BeEmpty();
        Uri.UnescapeDataString(key).Should().Be(nasty, "only the forbidden characters and % are encoded, so the key decodes back");
        var table = azurite.Tables.GetTableClient("tablekeys");
        await table.CreateIfNotExistsAsync(Ct);
        var entity = new TableEntity(key, key) { ["Original"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(nasty)) };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, Ct);

        var read = (await table.GetEntityAsync<TableEntity>(key, key, cancellationToken: Ct)).Value;
        read.PartitionKey.Should().Be(key);
        read.RowKey.Should().Be(key);
        Encoding.UTF8.GetString(Convert.FromBase64String(read.GetString("Original"))).Should().Be(nasty);
        var queried = await table.QueryAsync<TableEntity>(e => e.PartitionKey == key, cancellationToken: Ct).ToListAsync(Ct);
        queried.Select(e => e.RowKey).Should().Equal(key);
    }

    [Fact]
    public async Task Distinct_inputs_give_distinct_keys_and_distinct_rows()
    {
        string[] inputs =
        [
            "/", "%2F", "%252F", "%", "%25", "#", "%23", "a/b", "a%2Fb", "a%2fb", "?", "%3F", "\\", "%5C",
            "\n", "%0A", "\u0085", "%C2%85", "", " ", "x", "X",
        ];
        var keys = inputs.Select(TableKeys.Escape).ToList();

        keys.Should().OnlyHaveUniqueItems();
        var table = await azurite.NewTableAsync("distinct");
        var partition = "p";
        foreach (var key in keys)
        {
            await table.AddEntityAsync(new TableEntity(partition, key), Ct);
        }
        var stored = await table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: Ct).ToListAsync(Ct);
        stored.Select(e => e.RowKey).Should().BeEquivalentTo(keys);
    }

    [Fact]
    public async Task An_over_long_input_is_shortened_under_the_key_limit_and_stays_unique()
    {
        var longText = new string('x', 2000);
        string[] inputs =
        [
            longText,
            longText[..^1] + "y",
            "y" + longText[1..],
            longText + "x",
            new string('/', 2000),
            new string('/', 1999) + "#",
            new string('é', 2000),
            new string('é', 1999) + "e",
            new string('a', 446) + string.Concat(Enumerable.Repeat("😀", 100)),
            new string('a', 445) + string.Concat(Enumerable.Repeat("😀", 100)),
            string.Concat(Enumerable.Repeat("ann@acme.test/", 100)),
        ];
        var keys = inputs.Select(TableKeys.Escape).ToList();

        keys.Should().OnlyHaveUniqueItems();
        keys.Should().AllSatisfy(k =>
        {
            // A shortened key may end its prefix in the middle of an escape: only what storage refuses matters there.
            RefusedIn(k).Should().BeEmpty();
            // Table Storage allows 1 KiB per key, counted in UTF-16.
            Encoding.Unicode.GetByteCount(k).Should().BeLessThanOrEqualTo(1024);
        });
        TableKeys.Escape(longText).Should().Be(TableKeys.Escape(longText), "the same input always gives the same key");
        var table = await azurite.NewTableAsync("long");
        foreach (var key in keys)
        {
            await table.AddEntityAsync(new TableEntity(key, key), Ct);
            var read = (await table.GetEntityAsync<TableEntity>(key, key, cancellationToken: Ct)).Value;
            read.PartitionKey.Should().Be(key);
        }
        var all = await table.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        all.Should().HaveCount(inputs.Length);
    }

    [Fact]
    public void A_shortened_key_never_equals_the_key_of_another_input()
    {
        var shortened = TableKeys.Escape(new string('x', 600));

        TableKeys.Escape(shortened).Should().NotBe(shortened, "two distinct inputs must not share a key");
    }

    [Fact]
    public void A_key_at_the_length_limit_is_kept_whole()
    {
        var text = new string('k', 512);

        TableKeys.Escape(text).Should().Be(text);
    }

    /// <summary>What Table Storage refuses in a key, and a % that does not start an escape.</summary>
    private static IEnumerable<char> ForbiddenIn(string key) =>
        RefusedIn(key).Concat(key.Where((c, i) => c == '%' && !(i + 2 < key.Length && Uri.IsHexDigit(key[i + 1]) && Uri.IsHexDigit(key[i + 2]))));

    /// <summary>What Table Storage refuses in a key.</summary>
    private static IEnumerable<char> RefusedIn(string key) => key.Where(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
