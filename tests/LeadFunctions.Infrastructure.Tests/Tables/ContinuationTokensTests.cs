using System.Buffers.Text;
using System.Text;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Tests.Tables;

/// <summary>Tokens handed to clients: they travel in a URL, and only ours come back in.</summary>
public sealed class ContinuationTokensTests
{
    public static TheoryData<string> SdkTokens =>
    [
        "01HZX3T8Q7K2M4N6P8R0S2T4V6 a",
        "1!8!bGVhZA-- 1!4!YQ--",
        "pk with spaces and ünïcødé ~!*'()",
        "x",
    ];

    [Theory]
    [MemberData(nameof(SdkTokens))]
    public void A_wrapped_token_is_url_safe_and_unwraps_to_the_original(string token)
    {
        var wrapped = ContinuationTokens.Wrap(token);

        wrapped.Should().NotBeNullOrEmpty().And.MatchRegex("^[A-Za-z0-9_-]+$");
        Uri.EscapeDataString(wrapped!).Should().Be(wrapped);
        ContinuationTokens.Unwrap(wrapped).Should().Be(token);
    }

    [Fact]
    public void No_token_wraps_and_unwraps_to_none()
    {
        ContinuationTokens.Wrap(null).Should().BeNull();
        ContinuationTokens.Unwrap(null).Should().BeNull();
        ContinuationTokens.Unwrap("").Should().BeNull();
    }

    public static TheoryData<string> ForeignTokens =>
    [
        // Forged: well-formed base64url, but not carrying our marker.
        Encode("1!8!bGVhZA-- 1!4!YQ--"),
        Encode("lf2:1!8!bGVhZA--"),
        Encode("LF1:abc"),
        // Our marker and nothing after it.
        Encode("lf1:"),
        // Not base64 at all.
        "not a token!",
        "%%%",
        "lf1:abc",
        "a",
        // Control characters, inside the decoded text or in the token itself.
        Encode("lf1:abc\ndef"),
        Encode("lf1:\0"),
        Encode("lf1:abc\u007f"),
        "abc\u0001def",
        "YWJj\n",
    ];

    [Theory]
    [MemberData(nameof(ForeignTokens))]
    public void A_token_that_is_not_ours_is_refused(string token)
    {
        var unwrap = () => ContinuationTokens.Unwrap(token);

        unwrap.Should().Throw<InvalidContinuationTokenException>();
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
