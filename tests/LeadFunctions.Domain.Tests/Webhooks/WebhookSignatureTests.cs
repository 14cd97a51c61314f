using LeadFunctions.Domain.Webhooks;

namespace LeadFunctions.Domain.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void Signatures_match_the_published_Standard_Webhooks_test_vector() =>
        WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}")
            .Should().Be("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

    [Fact]
    public void A_new_secret_holds_32_random_bytes_after_its_prefix()
    {
        var secret = WebhookSignature.NewSecret();
        secret.Should().StartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Should().HaveCount(32);
        WebhookSignature.NewSecret().Should().NotBe(secret);
    }

    [Fact]
    public void Any_change_of_id_time_or_body_changes_the_signature()
    {
        var secret = WebhookSignature.NewSecret();
        var signature = WebhookSignature.Sign(secret, "id", 1, "{}");
        WebhookSignature.Sign(secret, "id2", 1, "{}").Should().NotBe(signature);
        WebhookSignature.Sign(secret, "id", 2, "{}").Should().NotBe(signature);
        WebhookSignature.Sign(secret, "id", 1, "{ }").Should().NotBe(signature);
    }
}
