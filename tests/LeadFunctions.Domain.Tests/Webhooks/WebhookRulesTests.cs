using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Webhooks;

namespace LeadFunctions.Domain.Tests.Webhooks;

public sealed class WebhookRulesTests
{
    [Fact]
    public void Event_types_may_be_short_or_full_and_are_stored_full_once()
    {
        var webhook = new Webhook { Url = "https://hooks.example.com/in", Events = ["lead.created", "com.leadfunctions.lead.created", "leads.merged"] };
        WebhookRules.Check(webhook, allowInsecureLocal: false).IsEmpty.Should().BeTrue();
        WebhookRules.Normalize(webhook);
        webhook.Events.Should().Equal("com.leadfunctions.lead.created", "com.leadfunctions.leads.merged");
    }

    [Fact]
    public void Unknown_types_no_types_and_a_missing_address_are_refused()
    {
        var errors = WebhookRules.Check(new Webhook { Url = "", Events = [] }, allowInsecureLocal: false);
        errors.Fields.Should().BeEquivalentTo(["url", "events"]);
        WebhookRules.Check(new Webhook { Url = "https://hooks.example.com", Events = ["lead.exploded"] }, false).For("events").Should().ContainSingle().Which.Should().Contain("lead.exploded");
        WebhookRules.Check(new Webhook { Url = "https://hooks.example.com", Events = ["webhook.ping"] }, false).Contains("events").Should().BeTrue("a ping is only sent by the test route");
    }

    [Fact]
    public void A_null_event_type_is_refused_on_events_not_thrown()
    {
        var errors = WebhookRules.Check(new Webhook { Url = "https://hooks.example.com", Events = [null!, "lead.won"] }, allowInsecureLocal: false);

        errors.Fields.Should().Equal("events");
        errors.For("events").Should().ContainSingle().Which.Should().StartWith("null is not an event type");
    }

    [Fact]
    public void A_subscription_wants_its_types_or_all_with_a_star_and_nothing_when_inactive()
    {
        var some = new Webhook { Events = ["com.leadfunctions.lead.won"] };
        var all = new Webhook { Events = ["*"] };
        WebhookRules.Wants(some, "com.leadfunctions.lead.won").Should().BeTrue();
        WebhookRules.Wants(some, "com.leadfunctions.lead.lost").Should().BeFalse();
        WebhookRules.Wants(all, "com.leadfunctions.lead.lost").Should().BeTrue();
        all.Active = false;
        WebhookRules.Wants(all, "com.leadfunctions.lead.lost").Should().BeFalse();
    }
}
