using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Tests;

public sealed class ValidationErrorsTests
{
    [Fact]
    public void New_errors_are_empty()
    {
        var errors = new ValidationErrors();
        errors.IsEmpty.Should().BeTrue();
        errors.ToDictionary().Should().BeEmpty();
        errors.For("email").Should().BeEmpty();
    }

    [Fact]
    public void Messages_are_grouped_per_field_without_repeats()
    {
        var errors = new ValidationErrors();
        errors.Add("email", "one");
        errors.Add("email", "two");
        errors.Add("email", "one");
        errors.Add("phone", "three");

        errors.IsEmpty.Should().BeFalse();
        errors.Contains("email").Should().BeTrue();
        errors.Fields.Should().Equal("email", "phone");
        var dictionary = errors.ToDictionary();
        dictionary["email"].Should().Equal("one", "two");
        dictionary["phone"].Should().Equal("three");
    }

    [Fact]
    public void Renaming_a_field_moves_its_messages()
    {
        var errors = new ValidationErrors();
        errors.Add("description", "too long");
        errors.Add("message", "other");
        errors.Rename("description", "message");
        errors.Contains("description").Should().BeFalse();
        errors.For("message").Should().Equal("other", "too long");
    }
}
