package io.cxml.jobs.sample;

import java.util.Map;

/**
 * The few non-customer strings of a conversation, per language: greetings, sign-offs and short agent replies. The
 * customer's words always come from the real corpus; these only make e-mails look like e-mails (and give the ingest
 * normalizer real signatures and quoted replies to strip).
 */
final class Phrases {
    private Phrases() {}

    record Lang(String[] greetings, String[] signOffs, String[] agentReplies, String wrote) {}

    private static final String[] NAMES = {"Alex", "Maria", "Jonas", "Aisha", "Kenji", "Lucia", "Sven", "Mei"};

    private static final Map<String, Lang> BY_LANGUAGE = Map.of(
            "en", new Lang(new String[] {"Hi,", "Hello,", "Hi team,", "Dear support,"},
                    new String[] {"Thanks,", "Best regards,", "Kind regards,", "Cheers,"},
                    new String[] {"Thanks for reaching out. I am looking into this for you now.",
                        "Thank you for your message. Could you confirm the last four digits of your card?",
                        "I have escalated this to the right team; you will hear from us within 24 hours."},
                    "wrote:"),
            "de", new Lang(new String[] {"Hallo,", "Guten Tag,", "Liebes Support-Team,"},
                    new String[] {"Viele Grüße", "Mit freundlichen Grüßen", "Liebe Grüße"},
                    new String[] {"Vielen Dank für Ihre Nachricht. Wir kümmern uns darum.",
                        "Danke, wir prüfen das und melden uns in Kürze."}, "schrieb:"),
            "it", new Lang(new String[] {"Salve,", "Buongiorno,"}, new String[] {"Cordiali saluti", "Grazie,"},
                    new String[] {"Grazie per averci contattato, stiamo verificando.",
                        "Abbiamo inoltrato la richiesta al team giusto."}, "ha scritto:"),
            "nl", new Lang(new String[] {"Hallo,", "Beste,"}, new String[] {"Met vriendelijke groet", "Groeten,"},
                    new String[] {"Bedankt voor uw bericht, we zoeken het uit.",
                        "We hebben uw vraag doorgestuurd naar het juiste team."}, "schreef:"),
            "da", new Lang(new String[] {"Hej,", "Kære support,"}, new String[] {"Med venlig hilsen", "Venlig hilsen"},
                    new String[] {"Tak for din henvendelse, vi ser på det.", "Vi vender tilbage hurtigst muligt."},
                    "skrev:"),
            "tr", new Lang(new String[] {"Merhaba,", "İyi günler,"}, new String[] {"Saygılarımla", "Teşekkürler,"},
                    new String[] {"Mesajınız için teşekkürler, inceliyoruz.", "Talebinizi ilgili ekibe ilettik."},
                    "yazdı:"),
            "id", new Lang(new String[] {"Halo,", "Selamat pagi,"}, new String[] {"Salam", "Terima kasih,"},
                    new String[] {"Terima kasih atas pesan Anda, kami sedang memeriksanya.",
                        "Permintaan Anda sudah kami teruskan ke tim terkait."}, "menulis:"),
            "ja", new Lang(new String[] {"こんにちは。", "お世話になっております。"}, new String[] {"よろしくお願いします"},
                    new String[] {"お問い合わせありがとうございます。確認いたします。", "担当チームに転送しました。"}, "wrote:"),
            "zh", new Lang(new String[] {"你好，", "您好，"}, new String[] {"谢谢", "此致"},
                    new String[] {"感谢您的来信，我们正在处理。", "我们已将您的问题转交给相关团队。"}, "wrote:"),
            "ar", new Lang(new String[] {"مرحبا،", "السلام عليكم،"}, new String[] {"مع التحية"},
                    new String[] {"شكرا لتواصلك معنا، نحن نراجع طلبك.", "تم تحويل طلبك إلى الفريق المختص."},
                    "wrote:"));

    static Lang of(String language) {
        return BY_LANGUAGE.getOrDefault(language, BY_LANGUAGE.get("en"));
    }

    static String name(int pick) {
        return NAMES[Math.floorMod(pick, NAMES.length)];
    }
}
