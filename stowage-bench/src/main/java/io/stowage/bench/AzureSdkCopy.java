package io.stowage.bench;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/**
 * The reference of {@code bench/azure-tools}: a command that copies one file to or from Azure Blob
 * Storage the way the Azure SDK recommends, with nothing of Stowage in it. {@code put} is
 * {@link BlobClient#uploadFromFile(String, boolean)} and {@code get} is
 * {@link BlobClient#downloadToFile(String, boolean)}, both with the SDK's default parallel transfer
 * options (its own block size, single-upload threshold and concurrency). The benchmark starts it once
 * per file, as a script would start a tool, so it pays a JVM start-up as {@code bin/stowage} does.
 *
 * <p>Usage: {@code AzureSdkCopy put <file> <blob>} or {@code AzureSdkCopy get <blob> <file>}, with
 * {@code AZURE_STORAGE_CONNECTION_STRING} and {@code AZURE_CONTAINER_NAME} in the environment (the
 * names {@code bin/stowage} reads too).
 */
public final class AzureSdkCopy {

    private AzureSdkCopy() {
    }

    public static void main(String[] args) {
        String connectionString = System.getenv("AZURE_STORAGE_CONNECTION_STRING");
        String container = System.getenv("AZURE_CONTAINER_NAME");
        if (args.length != 3 || !(args[0].equals("put") || args[0].equals("get")) || connectionString == null
                || container == null) {
            System.err.println("usage: AzureSdkCopy put <file> <blob> | get <blob> <file>"
                    + " (AZURE_STORAGE_CONNECTION_STRING and AZURE_CONTAINER_NAME set)");
            System.exit(2);
        }
        boolean put = args[0].equals("put");
        BlobClient blob = new BlobServiceClientBuilder().connectionString(connectionString).buildClient()
                .getBlobContainerClient(container).getBlobClient(put ? args[2] : args[1]);
        if (put) {
            blob.uploadFromFile(args[1], true);
        } else {
            blob.downloadToFile(args[2], true);
        }
        // The SDK's HTTP client keeps threads for pooled connections: a command ends when its work does.
        System.exit(0);
    }
}
