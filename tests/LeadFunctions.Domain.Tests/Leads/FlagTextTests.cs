using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Tests.Leads;

public sealed class FlagTextTests
{
    [Theory]
    [InlineData("on", true)]
    [InlineData("TRUE", true)]
    [InlineData(" yes ", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("Off", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void A_checkbox_or_a_csv_cell_reads_as_yes_or_no(string text, bool flag) => FlagText.Parse(text).Should().Be(flag);

    [Theory]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("checked")]
    public void Other_text_is_neither(string text) => FlagText.Parse(text).Should().BeNull();
}
