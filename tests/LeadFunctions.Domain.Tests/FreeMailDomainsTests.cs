using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

public sealed class FreeMailDomainsTests
{
    [Theory]
    [InlineData("gmail.com")]
    [InlineData("googlemail.com")]
    [InlineData("outlook.com")]
    [InlineData("hotmail.com")]
    [InlineData("hotmail.co.uk")]
    [InlineData("hotmail.fr")]
    [InlineData("live.com")]
    [InlineData("msn.com")]
    [InlineData("yahoo.com")]
    [InlineData("yahoo.co.uk")]
    [InlineData("yahoo.fr")]
    [InlineData("ymail.com")]
    [InlineData("aol.com")]
    [InlineData("icloud.com")]
    [InlineData("me.com")]
    [InlineData("mac.com")]
    [InlineData("proton.me")]
    [InlineData("protonmail.com")]
    [InlineData("gmx.de")]
    [InlineData("gmx.net")]
    [InlineData("web.de")]
    [InlineData("mail.com")]
    [InlineData("yandex.ru")]
    [InlineData("zoho.com")]
    [InlineData("fastmail.com")]
    [InlineData("hey.com")]
    [InlineData("tutanota.com")]
    [InlineData("qq.com")]
    [InlineData("163.com")]
    [InlineData("GMAIL.COM")]
    public void Consumer_providers_are_free_mail(string domain) => FreeMailDomains.Contains(domain).Should().BeTrue();

    [Theory]
    [InlineData("acme-corp.test")]
    [InlineData("gmail.com.acme.test")]
    [InlineData("microsoft.com")]
    [InlineData("mail.acme.test")]
    [InlineData("")]
    public void Company_domains_are_not_free_mail(string domain) => FreeMailDomains.Contains(domain).Should().BeFalse();
}
