package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The light listing's reader of ListObjectsV2 answers (decision 0104): escapes, character references and CDATA
 * read as text, URL-encoded keys decoded only when the answer says so, elements it does not use passed over, and
 * no DTD or external entity read.
 */
class S3ListXmlTest {

    private static S3ListXml.Page parse(String xml) throws IOException {
        return S3ListXml.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void objects_prefixes_and_the_next_token_are_read_with_escapes_and_cdata_as_text() throws IOException {
        S3ListXml.Page p = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Name>b</Name><Prefix>a&amp;</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
                  <IsTruncated>true</IsTruncated>
                  <Contents>
                    <Key>a&amp;b&lt;c&gt;&quot;d&apos;&#233;&#x20AC;<![CDATA[<raw>&]]></Key>
                    <LastModified>2026-12-05T09:00:01.500Z</LastModified>
                    <ETag>&quot;0123abcd&quot;</ETag><Size>65536</Size>
                    <Owner><ID>o</ID><DisplayName>n</DisplayName></Owner>
                    <StorageClass>STANDARD</StorageClass>
                  </Contents>
                  <Contents><Key>日本</Key><Size>0</Size></Contents>
                  <CommonPrefixes><Prefix>a&amp;/</Prefix></CommonPrefixes>
                  <NextContinuationToken>tok/en+=</NextContinuationToken>
                </ListBucketResult>
                """);
        assertThat(p.contents()).hasSize(2);
        S3ListXml.Entry e = p.contents().get(0);
        assertThat(e.key()).isEqualTo("a&b<c>\"d'é€<raw>&");
        assertThat(e.size()).isEqualTo(65536);
        assertThat(e.etag()).isEqualTo("\"0123abcd\"");
        assertThat(e.modified()).isEqualTo(Instant.parse("2026-12-05T09:00:01.500Z"));
        assertThat(e.storageClass()).isEqualTo("STANDARD");
        assertThat(p.contents().get(1).key()).isEqualTo("日本");
        assertThat(p.prefixes()).containsExactly("a&/");
        assertThat(p.truncated()).isTrue();
        assertThat(p.nextContinuationToken()).isEqualTo("tok/en+=");
    }

    @Test
    void url_encoded_keys_and_prefixes_are_decoded_only_when_the_answer_says_they_were_encoded() throws IOException {
        String body = "<Contents><Key>a%2Bb+c%25d%C3%A9</Key><Size>1</Size></Contents>"
                + "<CommonPrefixes><Prefix>p%20q/</Prefix></CommonPrefixes><IsTruncated>false</IsTruncated>";
        S3ListXml.Page encoded = parse("<ListBucketResult><EncodingType>url</EncodingType>" + body + "</ListBucketResult>");
        assertThat(encoded.contents().get(0).key()).isEqualTo("a+b c%dé");
        assertThat(encoded.prefixes()).containsExactly("p q/");
        assertThat(encoded.truncated()).isFalse();
        assertThat(encoded.nextContinuationToken()).isNull();
        // A server that ignored encoding-type sent the keys as they are: '%' and '+' stay.
        S3ListXml.Page plain = parse("<ListBucketResult>" + body + "</ListBucketResult>");
        assertThat(plain.contents().get(0).key()).isEqualTo("a%2Bb+c%25d%C3%A9");
    }

    @Test
    void a_document_type_with_an_external_entity_is_not_read_and_other_documents_are_refused() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE ListBucketResult [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
                <ListBucketResult><Contents><Key>&secret;</Key><Size>1</Size></Contents></ListBucketResult>
                """;
        assertThat(catchThrowableOfType(IOException.class, () -> parse(xxe))).isNotNull();
        assertThat(catchThrowableOfType(IOException.class,
                () -> parse("<Error><Code>AccessDenied</Code></Error>")).getMessage()).contains("ListBucketResult");
        assertThat(catchThrowableOfType(IOException.class,
                () -> parse("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>"))).isNotNull();
        assertThat(catchThrowableOfType(IOException.class,
                () -> parse("<ListBucketResult><Contents><Key>k</Key><Size>many</Size></Contents></ListBucketResult>")))
                .isNotNull();
        assertThat(catchThrowableOfType(IOException.class, () -> parse("not xml"))).isNotNull();
    }
}
