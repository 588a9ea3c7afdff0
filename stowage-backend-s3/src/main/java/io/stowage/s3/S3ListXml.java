package io.stowage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Reads one page of a ListObjectsV2 answer ({@code ListBucketResult}) for the light listing ({@link
 * S3SinglePut#list}, decision 0104), with the JDK's own StAX reader: no DTD and no external entity is read, and
 * text comes whole (entities, character references and CDATA joined). Keys and common prefixes that the server
 * URL-encoded ({@code <EncodingType>url</EncodingType>}) are decoded as the SDK decodes them; elements it does not
 * use (the owner, checksums, the echoed request) are passed over.
 */
final class S3ListXml {

    private static final XMLInputFactory FACTORY = factory();

    /** One object of the page: its key, size, ETag as sent (quotes kept), modification time, storage class. */
    record Entry(String key, long size, String etag, Instant modified, String storageClass) {
    }

    /** The page: its objects and common prefixes in the server's order, and the token of the next page if any. */
    record Page(List<Entry> contents, List<String> prefixes, boolean truncated, String nextContinuationToken) {
    }

    private S3ListXml() {
    }

    private static XMLInputFactory factory() {
        // The JDK's implementation, not one found on the class path (the SDK brings Woodstox): no lookup of
        // providers at start, and the same reader whatever else is on the class path.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    static Page parse(byte[] xml) throws IOException {
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                return read(r);
            } finally {
                r.close();
            }
        } catch (XMLStreamException | NumberFormatException | DateTimeParseException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Page read(XMLStreamReader r) throws XMLStreamException, IOException {
        while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
            // the prolog
        }
        if (!r.isStartElement() || !r.getLocalName().equals("ListBucketResult")) {
            throw new IOException("expected <ListBucketResult>, found "
                    + (r.isStartElement() ? "<" + r.getLocalName() + ">" : "no element"));
        }
        List<Entry> contents = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        boolean truncated = false;
        String next = null;
        boolean urlEncoded = false;
        while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (r.getLocalName()) {
                case "Contents" -> contents.add(entry(r));
                case "CommonPrefixes" -> {
                    String prefix = null;
                    while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
                        if (r.getLocalName().equals("Prefix")) {
                            prefix = r.getElementText();
                        } else {
                            skip(r);
                        }
                    }
                    if (prefix != null) {
                        prefixes.add(prefix);
                    }
                }
                case "IsTruncated" -> truncated = Boolean.parseBoolean(r.getElementText().trim());
                case "NextContinuationToken" -> next = r.getElementText();
                case "EncodingType" -> urlEncoded = r.getElementText().trim().equalsIgnoreCase("url");
                default -> skip(r);
            }
        }
        if (urlEncoded) {
            contents.replaceAll(e -> new Entry(SdkHttpUtils.urlDecode(e.key()), e.size(), e.etag(), e.modified(),
                    e.storageClass()));
            prefixes.replaceAll(SdkHttpUtils::urlDecode);
        }
        return new Page(contents, prefixes, truncated, next == null || next.isEmpty() ? null : next);
    }

    private static Entry entry(XMLStreamReader r) throws XMLStreamException, IOException {
        String key = null;
        long size = 0;
        String etag = null;
        Instant modified = null;
        String storageClass = null;
        while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (r.getLocalName()) {
                case "Key" -> key = r.getElementText();
                case "Size" -> size = Long.parseLong(r.getElementText().trim());
                case "ETag" -> etag = r.getElementText();
                case "LastModified" -> modified = Instant.parse(r.getElementText().trim());
                case "StorageClass" -> storageClass = r.getElementText().trim();
                default -> skip(r);
            }
        }
        if (key == null) {
            throw new IOException("an object of the listing has no <Key>");
        }
        return new Entry(key, size, etag, modified, storageClass);
    }

    /** Passes over the element just started, with everything in it. */
    private static void skip(XMLStreamReader r) throws XMLStreamException {
        for (int depth = 1; depth > 0; ) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }
}
