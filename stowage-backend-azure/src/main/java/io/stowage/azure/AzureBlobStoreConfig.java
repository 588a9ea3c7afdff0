package io.stowage.azure;

import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one Azure Blob backend (DESIGN §6 keys plus this module's own), parsed and validated
 * once. Credentials, in order: {@code connection_string}; else {@code account_name} + {@code account_key}
 * (+ {@code endpoint} for Azurite or sovereign clouds); else {@code sas_token} with the account's or the
 * given endpoint.
 *
 * @param endpoint the blob service URL (with the account in the path for Azurite); empty with a
 *     connection string, which carries its own
 * @param tier the access tier of new blobs ({@code Hot}, {@code Cool}, {@code Cold}, {@code Archive}),
 *     empty for the account's default
 * @param blockSize the size of staged blocks, and the size above which a put is staged in blocks
 * @param uploadConcurrency how many blocks of one upload are in flight at once
 * @param versioning the storage account keeps blob versions (an account setting the blob API cannot turn
 *        on or read, so it is declared here; it makes the store offer {@code Versioned})
 */
public record AzureBlobStoreConfig(
        String name,
        Optional<String> connectionString,
        Optional<String> accountName,
        Optional<String> accountKey,
        Optional<String> sasToken,
        Optional<URI> endpoint,
        String container,
        Optional<String> tier,
        boolean createContainer,
        long blockSize,
        int uploadConcurrency,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxAttempts,
        boolean versioning) {

    /** Every key this backend reads from its settings. */
    public static final Set<String> SETTINGS = Set.of("connection_string", "account_name", "account_key", "sas_token",
            "endpoint", "container", "tier", "create_container", "create_bucket", "block_size", "upload_concurrency",
            "connect_timeout", "request_timeout", "max_attempts", "versioning");

    /** Access tiers, hottest first, as Azure spells them. */
    static final List<String> TIERS = List.of("Hot", "Cool", "Cold", "Archive");

    static final long DEFAULT_BLOCK_SIZE = 8L * 1024 * 1024;
    /** Azure's largest staged block. */
    static final long MAX_BLOCK_SIZE = 4000L * 1024 * 1024;
    /** Azure's most committed blocks of one blob. */
    static final int MAX_BLOCKS = 50_000;

    private static final String KEY_FORM = "it must be base64, as key1 and key2 under the storage account's Access"
            + " keys are";

    public AzureBlobStoreConfig {
        if (blockSize < 64 * 1024 || blockSize > MAX_BLOCK_SIZE) {
            throw StorageException.config("backend '" + name + "' setting 'block_size' must be between 64KiB and 4000MiB,"
                    + " was " + blockSize);
        }
        if (uploadConcurrency < 1 || uploadConcurrency > 64) {
            throw StorageException.config("backend '" + name + "' setting 'upload_concurrency' must be 1..64, was "
                    + uploadConcurrency);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw StorageException.config("backend '" + name + "' setting 'max_attempts' must be 1..10, was " + maxAttempts);
        }
    }

    /**
     * Parses {@code config}.
     *
     * @throws StorageException {@code CONFIG} naming the backend and the setting at fault
     */
    public static AzureBlobStoreConfig from(BackendConfig config) {
        String name = config.name();
        String container = config.require("container");
        if (!container.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
            throw StorageException.config("backend '" + name + "' setting 'container' (AZURE_CONTAINER_NAME) is not a"
                    + " valid container name: '" + container + "' (3-63 lower-case letters, digits and single hyphens)");
        }
        Optional<String> connectionString = config.get("connection_string");
        connectionString.ifPresent(c -> checkConnectionString(name, c));
        Optional<String> account = config.get("account_name");
        // A key pasted with a line break would fail every request's signature.
        Optional<String> key = config.get("account_key").map(String::trim);
        if (connectionString.isEmpty() && key.isPresent() && !isAccountKey(key.get())) {
            throw StorageException.config("backend '" + name + "' setting 'account_key' (AZURE_ACCOUNT_KEY) is not an"
                    + " account key: " + KEY_FORM);
        }
        Optional<String> sas = config.get("sas_token").map(t -> t.startsWith("?") ? t.substring(1) : t);
        Optional<URI> endpoint = config.getUrl("endpoint", "AZURE_STORAGE_ENDPOINT");
        if (connectionString.isEmpty()) {
            if (key.isPresent() && account.isEmpty()) {
                throw StorageException.config("backend '" + name + "' has 'account_key' but no 'account_name'"
                        + " (AZURE_ACCOUNT_NAME)");
            }
            if (key.isEmpty() && sas.isEmpty()) {
                throw StorageException.config("backend '" + name + "' needs credentials: 'connection_string'"
                        + " (AZURE_STORAGE_CONNECTION_STRING), or 'account_name' with 'account_key' (AZURE_ACCOUNT_NAME,"
                        + " AZURE_ACCOUNT_KEY), or 'sas_token' (AZURE_SAS_TOKEN)");
            }
            if (account.isEmpty() && endpoint.isEmpty()) {
                throw StorageException.config("backend '" + name + "' needs 'account_name' (AZURE_ACCOUNT_NAME) or"
                        + " 'endpoint' (AZURE_STORAGE_ENDPOINT) to find the blob service");
            }
            if (endpoint.isEmpty()) {
                endpoint = Optional.of(URI.create("https://" + account.get() + ".blob.core.windows.net"));
            } else if (pathStyle(endpoint.get()) && (endpoint.get().getPath() == null
                    || endpoint.get().getPath().isEmpty())) {
                // An IP address or localhost (Azurite) names the account in the path, and the SDK reads the
                // first path segment as the account: without it, the container would be taken for one.
                if (account.isEmpty()) {
                    throw StorageException.config("backend '" + name + "' setting 'endpoint' (AZURE_STORAGE_ENDPOINT)"
                            + " names no account: an emulator's endpoint ends in it, as in"
                            + " http://127.0.0.1:10000/devstoreaccount1");
                }
                endpoint = Optional.of(URI.create(endpoint.get() + "/" + account.get()));
            }
        }
        Optional<String> tier = config.get("tier").map(t -> tier(name, t));
        return new AzureBlobStoreConfig(name, connectionString, account, key, sas, connectionString.isPresent()
                ? Optional.empty() : endpoint, container, tier, createContainer(config),
                config.getBytes("block_size", DEFAULT_BLOCK_SIZE), config.getInt("upload_concurrency", 4),
                config.getDuration("connect_timeout", Duration.ofSeconds(5)),
                config.getDuration("request_timeout", Duration.ofSeconds(30)), config.getInt("max_attempts", 3),
                config.getBoolean("versioning", false));
    }

    /**
     * {@code create_container}, else {@code create_bucket}: the name of the other cloud backends, which
     * configuration defaults for every cloud type, so a {@code create_bucket: false} is not silently ignored.
     */
    private static boolean createContainer(BackendConfig config) {
        return config.get("create_container").isPresent() ? config.getBoolean("create_container", true)
                : config.getBoolean("create_bucket", true);
    }

    /** A shared key is base64; anything else would fail every request with a decoding error. */
    private static boolean isAccountKey(String key) {
        try {
            return Base64.getDecoder().decode(key.trim()).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Checks what can be checked of a connection string without echoing it: its form and its AccountKey. */
    private static void checkConnectionString(String name, String text) {
        Map<String, String> parts = connectionStringParts(text);
        boolean development = "true".equalsIgnoreCase(parts.get("usedevelopmentstorage"));
        if (!development && !parts.containsKey("accountname") && !parts.containsKey("blobendpoint")) {
            throw StorageException.config("backend '" + name + "' setting 'connection_string'"
                    + " (AZURE_STORAGE_CONNECTION_STRING) is not a storage connection string: it needs AccountName="
                    + " (with AccountKey=) or BlobEndpoint= (with SharedAccessSignature=), separated by ';'");
        }
        if (parts.containsKey("accountkey") && !isAccountKey(parts.get("accountkey"))) {
            throw StorageException.config("backend '" + name + "' setting 'connection_string'"
                    + " (AZURE_STORAGE_CONNECTION_STRING) has an AccountKey that is not an account key: " + KEY_FORM);
        }
    }

    /** The {@code name=value} parts of a connection string, names lower-cased; values may contain '='. */
    static Map<String, String> connectionStringParts(String text) {
        Map<String, String> parts = new HashMap<>();
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(lower(part.substring(0, eq).trim()), part.substring(eq + 1).trim());
            }
        }
        return parts;
    }

    /** {@code text} as Azure spells the tier, or a CONFIG error naming the accepted ones. */
    static String tier(String name, String text) {
        for (String t : TIERS) {
            if (t.equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw StorageException.config("backend '" + name + "' setting 'tier' (AZURE_BLOB_TIER) must be one of " + TIERS
                + ", was '" + text + "'");
    }

    /** Whether the SDK addresses {@code endpoint} path-style (the account as the first path segment). */
    private static boolean pathStyle(URI endpoint) {
        String host = endpoint.getHost();
        return host.equalsIgnoreCase("localhost") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** Whether a shared key is at hand, which signing SAS URLs needs. */
    boolean hasSharedKey() {
        return accountKey.isPresent() || connectionString.map(c -> c.contains("AccountKey=")).orElse(false)
                || connectionString.map(c -> c.contains("UseDevelopmentStorage=true")).orElse(false);
    }

    /**
     * The SAS requests are authorized with when there is no shared key: {@code sas_token}, or the
     * {@code SharedAccessSignature} of a connection string; empty with a key.
     */
    Optional<String> sasInUse() {
        if (hasSharedKey()) {
            return Optional.empty();
        }
        if (connectionString.isPresent()) {
            return Optional.ofNullable(connectionStringParts(connectionString.get()).get("sharedaccesssignature"))
                    .map(t -> t.startsWith("?") ? t.substring(1) : t).filter(t -> !t.isEmpty());
        }
        return sasToken;
    }

    /** Which setting holds the credentials in use, for messages: never the secret itself. */
    String credentialsForMessages() {
        if (connectionString.isPresent()) {
            return "connection_string (AZURE_STORAGE_CONNECTION_STRING) '" + Secrets.mask(connectionString.get()) + "'";
        }
        if (accountKey.isPresent()) {
            return "account_name '" + accountName.orElse("") + "' with account_key (AZURE_ACCOUNT_KEY) '"
                    + Secrets.mask(accountKey.get()) + "'";
        }
        return "sas_token (AZURE_SAS_TOKEN) '" + Secrets.mask(sasToken.orElse("")) + "'";
    }

    /** Where the service is, for messages: the endpoint, or the one the connection string names. */
    String where() {
        if (endpoint.isPresent()) {
            return endpoint.get().toString();
        }
        Map<String, String> parts = connectionStringParts(connectionString.orElse(""));
        if (parts.containsKey("blobendpoint")) {
            return parts.get("blobendpoint");
        }
        if ("true".equalsIgnoreCase(parts.get("usedevelopmentstorage"))) {
            return "the local emulator (UseDevelopmentStorage=true)";
        }
        if (parts.containsKey("accountname")) {
            return parts.getOrDefault("defaultendpointsprotocol", "https") + "://" + parts.get("accountname") + ".blob."
                    + parts.getOrDefault("endpointsuffix", "core.windows.net");
        }
        return "the connection string's endpoint";
    }

    @Override
    public String toString() {
        return "AzureBlobStoreConfig[" + name + ", container " + container + " at " + where() + ", "
                + credentialsForMessages() + "]";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
