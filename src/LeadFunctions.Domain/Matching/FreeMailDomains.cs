namespace LeadFunctions.Domain.Matching;

/// <summary>
/// Consumer mail providers: sharing one of these domains says nothing about belonging to the same
/// company, so the domain rule of SPEC 4.2 ignores them.
/// </summary>
public static class FreeMailDomains
{
    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase)
    {
        // Google
        "gmail.com", "googlemail.com",
        // Microsoft
        "outlook.com", "outlook.fr", "outlook.de", "outlook.es", "outlook.it", "outlook.jp", "outlook.com.br",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it", "hotmail.nl",
        "hotmail.be", "hotmail.ca", "hotmail.com.au", "hotmail.com.br", "hotmail.com.ar", "hotmail.com.mx",
        "hotmail.co.jp", "hotmail.se", "hotmail.no", "hotmail.dk", "hotmail.fi", "hotmail.gr", "hotmail.ch",
        "live.com", "live.co.uk", "live.fr", "live.de", "live.nl", "live.be", "live.it", "live.ca",
        "live.com.au", "live.com.mx", "live.se", "live.dk", "live.no", "msn.com", "passport.com",
        "windowslive.com",
        // Yahoo / AOL
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.ca",
        "yahoo.com.au", "yahoo.com.br", "yahoo.com.ar", "yahoo.com.mx", "yahoo.co.in", "yahoo.in",
        "yahoo.co.jp", "yahoo.com.sg", "yahoo.com.hk", "yahoo.com.tw", "yahoo.co.id", "yahoo.gr",
        "yahoo.se", "yahoo.dk", "yahoo.no", "yahoo.ie", "yahoo.co.nz", "yahoo.com.ph", "yahoo.com.vn",
        "ymail.com", "rocketmail.com", "aol.com", "aol.co.uk", "aol.fr", "aol.de", "aim.com",
        // Apple
        "icloud.com", "me.com", "mac.com",
        // Privacy-minded
        "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tutanota.de",
        "tutamail.com", "tuta.io", "tuta.com", "keemail.me", "fastmail.com", "fastmail.fm", "hey.com",
        "mailfence.com", "posteo.de", "posteo.net", "mailbox.org", "runbox.com", "disroot.org",
        "hushmail.com", "startmail.com", "duck.com",
        // GMX / United Internet / other European portals
        "gmx.com", "gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.fr", "gmx.co.uk", "gmx.us", "gmx.es",
        "web.de", "mail.com", "email.com", "usa.com", "myself.com", "consultant.com", "post.com",
        "t-online.de", "freenet.de", "arcor.de", "online.de",
        "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "neuf.fr", "bbox.fr",
        "libero.it", "virgilio.it", "alice.it", "tiscali.it", "tin.it",
        "seznam.cz", "centrum.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl",
        "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "ntlworld.com",
        "telenet.be", "skynet.be", "ziggo.nl", "kpnmail.nl", "planet.nl", "home.nl", "bluewin.ch",
        "terra.com.br", "uol.com.br", "bol.com.br", "ig.com.br",
        // Russia and neighbours
        "yandex.com", "yandex.ru", "yandex.ua", "yandex.by", "yandex.kz", "ya.ru",
        "mail.ru", "inbox.ru", "list.ru", "bk.ru", "rambler.ru",
        // Asia
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com",
        "aliyun.com", "139.com", "naver.com", "daum.net", "hanmail.net", "nate.com",
        "rediffmail.com",
        // US ISPs and others
        "zoho.com", "zohomail.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net",
        "bellsouth.net", "cox.net", "charter.net", "earthlink.net", "optonline.net", "juno.com",
        "netzero.net", "shaw.ca", "rogers.com", "sympatico.ca", "bigpond.com", "optusnet.com.au",
        "xtra.co.nz", "inbox.com", "lycos.com", "excite.com",
    };

    public static bool Contains(string domain) =>
        !string.IsNullOrEmpty(domain) && Domains.Contains(domain.Trim().TrimEnd('.'));
}
