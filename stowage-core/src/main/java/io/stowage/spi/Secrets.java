package io.stowage.spi;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Masks secrets wherever configuration is shown: logs, errors, health, admin output, {@code config show}.
 * A setting is secret when its name says so (key, secret, password, token, credential, connection
 * string, SAS); its value is shown as {@code ****} plus at most its last four characters when long.
 */
public final class Secrets {

    private Secrets() {
    }

    public static boolean isSecret(String settingName) {
        String n = settingName.toLowerCase(Locale.ROOT);
        if (n.endsWith("key_id") || n.endsWith("access_key_id") || n.equals("access_key") || n.endsWith("_access_key")
                || n.endsWith(".access_key")) {
            // Access key ids identify, they do not authenticate; showing them helps diagnose the wrong account.
            return false;
        }
        return n.contains("secret") || n.contains("password") || n.contains("token") || n.contains("credential")
                || n.contains("connection_string") || n.contains("sas") || n.endsWith("key") || n.contains("account_key")
                || n.contains("signing");
    }

    public static String mask(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return value.length() >= 16 ? "****" + value.substring(value.length() - 4) : "****";
    }

    /** A copy of {@code settings} with every secret value masked. */
    public static Map<String, String> mask(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k, isSecret(k) ? mask(v) : v));
        return out;
    }
}
