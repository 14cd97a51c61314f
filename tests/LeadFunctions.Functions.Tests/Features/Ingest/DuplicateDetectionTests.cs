namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>SPEC 4.2 through the API: captures are checked on ingest and list each other as similar.</summary>
public sealed class DuplicateDetectionTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task Gmail_dot_and_plus_aliases_match_as_email_alias()
    {
        var local = "ann" + Guid.NewGuid().ToString("N")[..8];
        var first = await client.CaptureIdAsync(new { email = $"{local}@gmail.com" });
        await client.WaitCheckedAsync(first);
        var second = await client.CaptureIdAsync(new { email = $"{local[..2]}.{local[2..]}+newsletter@googlemail.com" });

        var flagged = await client.WaitCheckedAsync(second);

        flagged["duplicateCheck"]!["similarIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(first);
        (await client.SimilarAsync(second)).MatchedOn(first).Should().Equal("email-alias");
    }

    [Fact]
    public async Task One_phone_written_in_two_formats_matches_as_phone_for_one_person_and_not_for_a_relative()
    {
        var digits = Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var family = $"Q{Guid.NewGuid():N}";
        var first = await client.CaptureIdAsync(new { email = $"a{Guid.NewGuid():N}@gmail.com", phone = $"+1 (415) {digits[..3]}-{digits[3..]}", contactName = $"Ann {family}" });
        await client.WaitCheckedAsync(first);
        var second = await client.CaptureIdAsync(new { email = $"b{Guid.NewGuid():N}@yahoo.com", phone = $"415.{digits[..3]}.{digits[3..]}", contactName = $"A. {family}" });
        var relative = await client.CaptureIdAsync(new { email = $"c{Guid.NewGuid():N}@gmail.com", phone = $"415 {digits}", contactName = $"Bob {family}" });

        await client.WaitCheckedAsync(second);
        await client.WaitCheckedAsync(relative);

        var similar = await client.SimilarAsync(second);
        similar.MatchedOn(first).Should().Equal(["phone"], "an initial and a first name share no name key; the name still counts in the score");
        similar["items"]![0]!["score"]!.GetValue<int>().Should().Be(10);
        similar["items"]![0]!["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).Should()
            .Equal("same phone number", "same family name, the first name as its initial");
        (await client.SimilarAsync(first)).MatchedOn(second).Should().Equal("phone");
        (await client.SimilarAsync(relative))["count"]!.GetValue<int>().Should().Be(0, "a relative on the household's phone is another person");
    }

    [Fact]
    public async Task Two_people_at_one_company_domain_are_colleagues_and_one_person_there_matches_as_domain()
    {
        var domain = Api.UniqueDomain();
        var family = $"Q{Guid.NewGuid():N}";
        var first = await client.CaptureIdAsync(new { email = $"ann@{domain}", contactName = $"Ann {family}" });
        await client.WaitCheckedAsync(first);
        var colleague = await client.CaptureIdAsync(new { email = $"bob@{domain}", contactName = $"Bob R{Guid.NewGuid():N}" });
        var again = await client.CaptureIdAsync(new { email = $"a.{family.ToLowerInvariant()}@{domain}", contactName = $"ann {family}" });

        await client.WaitCheckedAsync(colleague);
        await client.WaitCheckedAsync(again);

        (await client.SimilarAsync(colleague))["count"]!.GetValue<int>().Should().Be(0, "a colleague is not a duplicate");
        (await client.SimilarAsync(again)).MatchedOn(first).Should().Equal("domain", "contact-name");
    }

    [Fact]
    public async Task Two_strangers_at_gmail_do_not_match()
    {
        var first = await client.CaptureIdAsync(new { email = $"x{Guid.NewGuid():N}@gmail.com" });
        await client.WaitCheckedAsync(first);
        var second = await client.CaptureIdAsync(new { email = $"y{Guid.NewGuid():N}@gmail.com" });

        var checkedSecond = await client.WaitCheckedAsync(second);

        checkedSecond["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0);
        (await client.SimilarAsync(second))["count"]!.GetValue<int>().Should().Be(0);
        (await client.SimilarAsync(first))["count"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task A_re_emailed_record_is_checked_again_and_its_old_match_is_gone()
    {
        var domain = Api.UniqueDomain();
        var first = await client.CaptureIdAsync(new { email = $"ann@{domain}" });
        await client.WaitCheckedAsync(first);
        var second = await client.CaptureIdAsync(new { email = $"ann@{domain}" , name = "other content" });
        await client.WaitCheckedAsync(second);
        (await client.SimilarAsync(first)).Ids().Should().Equal(second);

        await client.SendJsonAsync(HttpMethod.Patch, $"leads/{second}", new { email = $"zed{Guid.NewGuid():N}@gmail.com" }, System.Net.HttpStatusCode.OK);
        await client.WaitCheckedAsync(second);

        (await client.SimilarAsync(first))["count"]!.GetValue<int>().Should().Be(0);
        (await client.SimilarAsync(second))["count"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task A_dismissed_pair_no_longer_counts_for_either_record()
    {
        var domain = Api.UniqueDomain();
        var first = await client.CaptureIdAsync(new { email = $"ann@{domain}" });
        await client.WaitCheckedAsync(first);
        var second = await client.CaptureIdAsync(new { email = $"bob@{domain}" });
        await client.WaitCheckedAsync(second);

        await client.SendJsonAsync(HttpMethod.Post, $"leads/{second}/similar/{first}/dismiss", null, System.Net.HttpStatusCode.NoContent);

        (await client.SimilarAsync(first))["count"]!.GetValue<int>().Should().Be(0);
        (await client.SimilarAsync(second))["count"]!.GetValue<int>().Should().Be(0);
        foreach (var id in new[] { first, second })
        {
            await Api.EventuallyAsync(() => client.GetJsonAsync($"leads/{id}"), l => l["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 0);
        }
        // A later check of either record keeps the pair dismissed.
        await client.SendJsonAsync(HttpMethod.Patch, $"leads/{first}", new { phone = "+1 212 555 0100" }, System.Net.HttpStatusCode.OK);
        await client.WaitCheckedAsync(first);
        (await client.SimilarAsync(first))["count"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Lost_records_count_and_their_status_shows_in_the_similar_list()
    {
        var domain = Api.UniqueDomain();
        var first = await client.CaptureIdAsync(new { email = $"ann@{domain}" });
        await client.WaitCheckedAsync(first);
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{first}/lose", new { reason = "no budget" }, System.Net.HttpStatusCode.OK);
        var second = await client.CaptureIdAsync(new { email = $"ann@{domain}", name = "again" });

        var flagged = await client.WaitCheckedAsync(second);

        flagged["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(1);
        var similar = await client.SimilarAsync(second);
        similar["items"]![0]!["status"]!.GetValue<string>().Should().Be("lost");
    }
}
