package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.junit.jupiter.api.Test;

/**
 * {@link MagicTypes} answers what Tika answers, for the same bytes, over a corpus: headers of common and tricky
 * formats (ZIP-based office files, text against binary, empty content, SVG, HTML and XML that decide what is shown
 * inline), samples built from every one of Tika's own magic patterns (at the first and the last offset they are
 * tried at, over zeros, random bytes and text, and cut short around the pattern's end, where Tika compares zeros),
 * and random bytes and mutations of the headers.
 */
class MagicTypesTest {

    private static final MimeTypes TIKA = MimeTypes.getDefaultMimeTypes();
    private static final MagicTypes MAGIC = new MagicTypes(TIKA);

    @Test
    void the_fast_path_is_on_with_the_tika_on_the_class_path() {
        // Off, every call goes to Tika: correct but slow. A Tika whose internals moved must be looked at.
        assertThat(MAGIC.fast()).isTrue();
        assertThat(MAGIC.seeds()).hasSizeGreaterThan(1000);
        assertThat(MAGIC.seeds()).anyMatch(MagicTypes.Seed::regex);
    }

    @Test
    void most_magics_are_passed_over_by_one_byte_of_the_content() {
        // Decision 0108: a magic that needs a byte at one offset is skipped, without visiting its clauses, when the
        // content has none of the bytes its pattern can start with there; the corpora below check that the answer
        // stays Tika's. 774 of Tika 3.3.1's 849 magics are such.
        assertThat(MAGIC.byFirstByte()).isGreaterThan(700);
    }

    @Test
    void common_and_tricky_headers_get_tikas_type() throws IOException {
        Map<String, byte[]> corpus = headers();
        Map<String, String> types = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> sample : corpus.entrySet()) {
            types.put(sample.getKey(), same(sample.getValue()).toString());
        }
        // The corpus reaches the types the service's rules turn on, so the comparison above covered them.
        assertThat(types).containsEntry("png", "image/png").containsEntry("jpeg", "image/jpeg")
                .containsEntry("gif", "image/gif").containsEntry("pdf", "application/pdf")
                .containsEntry("zip", "application/zip").containsEntry("empty", "application/octet-stream")
                .containsEntry("ascii text", "text/plain").containsEntry("json", "text/plain")
                .containsEntry("html", "text/html").containsEntry("svg", "image/svg+xml")
                .containsEntry("svg with xml declaration", "image/svg+xml")
                .containsEntry("random 4 KiB", "application/octet-stream");
        assertThat(types.get("docx-like zip")).isNotEqualTo("text/plain");
    }

    @Test
    void samples_built_from_every_tika_magic_get_tikas_type() throws IOException {
        Random random = new Random(12);
        Set<String> seen = new HashSet<>();
        int compared = 0;
        // Tika repeats many patterns across its magics: each shape once.
        List<MagicTypes.Seed> seeds = MAGIC.seeds().stream().collect(java.util.stream.Collectors.toMap(
                seed -> seed.begin() + ":" + seed.end() + ":" + seed.regex() + ":" + Arrays.toString(seed.pattern()),
                seed -> seed, (a, b) -> a, LinkedHashMap::new)).values().stream().toList();
        for (int s = 0; s < seeds.size(); s++) {
            MagicTypes.Seed seed = seeds.get(s);
            byte[] pattern = seed.regex() ? literal(seed.pattern()) : seed.pattern();
            int at = s % 2 == 0 ? seed.begin() : seed.end();
            int end = at + pattern.length;
            byte[] background = switch (s % 3) {
                case 0 -> new byte[end + 64];
                case 1 -> bytes(random, end + 64);
                default -> "lorem ipsum dolor sit amet ".repeat(1 + (end + 64) / 27).getBytes(StandardCharsets.US_ASCII);
            };
            System.arraycopy(pattern, 0, background, at, pattern.length);
            seen.add(same(background).toString());
            // Cut short, in turn: one byte before the pattern's end (Tika pads the window with zeros), at its end, at
            // its offset.
            int cut = switch (s % 3) {
                case 0 -> end - 1;
                case 1 -> end;
                default -> at;
            };
            if (cut >= 0) {
                same(Arrays.copyOf(background, cut));
                compared++;
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(2 * seeds.size() - 10);
        // Hundreds of magics matched, not a few: the samples reached Tika's positive answers.
        assertThat(seen).hasSizeGreaterThan(250);
    }

    @Test
    void random_bytes_and_mutated_headers_get_tikas_type() throws IOException {
        Random random = new Random(21);
        for (int length : new int[] {1, 2, 3, 7, 16, 255, 256, 257, 512, 4096, 8191, 8192, 8193, 65_535, 65_536, 70_000}) {
            same(bytes(random, length));
        }
        for (byte[] header : headers().values()) {
            for (int m = 0; m < 3 && header.length > 0; m++) {
                byte[] mutated = header.clone();
                for (int flips = 0; flips < 1 + m % 3; flips++) {
                    mutated[random.nextInt(Math.min(mutated.length, 64))] = (byte) random.nextInt(256);
                }
                same(mutated);
                same(Arrays.copyOf(mutated, random.nextInt(mutated.length + 1)));
            }
        }
    }

    @Test
    void text_and_binary_at_the_text_detectors_limits_get_tikas_type() throws IOException {
        // Tika's rule for content no magic matches is about counts of byte classes: control bytes under 2 % of
        // mostly ASCII, and UTF-8 whose continuation bytes are within 3 of what its lead bytes announce. Contents
        // on either side of each limit, at lengths below, at and above the header's.
        Random random = new Random(33);
        int text = 0;
        for (int length : new int[] {100, 4096, 65_536, 70_000}) {
            for (int percentControl = 0; percentControl <= 4; percentControl++) {
                byte[] content = new byte[length];
                for (int i = 0; i < length; i++) {
                    content[i] = random.nextInt(100) < percentControl ? (byte) random.nextInt(9)
                            : (byte) (' ' + random.nextInt(95));
                }
                text += same(content).equals(MediaType.TEXT_PLAIN) ? 1 : 0;
            }
            for (int missing = -5; missing <= 5; missing++) {
                // Two-byte UTF-8 characters, with continuation bytes taken out or added at random places.
                byte[] content = ascii("x".repeat(length)).clone();
                for (int i = 1; i + 1 < length; i += 4) {
                    content[i] = (byte) 0xc3;
                    content[i + 1] = (byte) 0xa9;
                }
                for (int k = 0; k < Math.abs(missing); k++) {
                    int at = 4 * random.nextInt((length - 2) / 4) + 2;
                    content[at] = missing < 0 ? (byte) 'y' : (byte) 0xa9;
                    if (missing > 0) {
                        content[at + 1 < length ? at + 1 : at] = (byte) 0xa9;
                    }
                }
                text += same(content).equals(MediaType.TEXT_PLAIN) ? 1 : 0;
            }
            byte[] high = ascii("z".repeat(length)).clone();
            high[length / 2] = (byte) 0xf9;
            same(high);
        }
        // Both answers came up, so the limits were crossed.
        assertThat(text).isBetween(1, 4 * (5 + 11) - 1);
    }

    @Test
    void the_text_rule_stops_counting_once_nothing_after_could_make_it_text_and_answers_as_tika() throws Exception {
        // Random bytes: a byte from 0xF8 on rules UTF-8 out, and a tenth of the content outside ASCII rules the
        // ASCII rule out, within the first blocks (decision 0107).
        byte[] noise = new byte[65_536];
        new Random(107).nextBytes(noise);
        assertThat(same(noise)).isEqualTo(MediaType.OCTET_STREAM);
        assertThat(MAGIC.textBytesCounted(noise)).isLessThanOrEqualTo(16_384);

        // A byte from 0xF8 on and then ASCII: the ASCII rule holds at the end, so every byte is counted.
        byte[] late = ascii("z".repeat(65_536)).clone();
        late[0] = (byte) 0xff;
        assertThat(same(late)).isEqualTo(MediaType.TEXT_PLAIN);
        assertThat(MAGIC.textBytesCounted(late)).isEqualTo(65_536);

        // Bytes outside ASCII, or control bytes, at the start, then ASCII letters: each side of the ASCII rule's 90 %
        // and 2 %, where it is settled only by the bytes after the first blocks.
        Set<MediaType> answers = new HashSet<>();
        for (int[] run : new int[][] {{0x80, 6_540, 6_570}, {0x01, 1_300, 1_330}}) {
            for (int count = run[1]; count <= run[2]; count++) {
                byte[] content = ascii("q".repeat(65_536)).clone();
                content[0] = (byte) 0xf8;
                Arrays.fill(content, 1, count, (byte) run[0]);
                answers.add(same(content));
            }
        }
        assertThat(answers).containsExactlyInAnyOrder(MediaType.TEXT_PLAIN, MediaType.OCTET_STREAM);
    }

    @Test
    void the_stream_is_left_where_it_was() throws IOException {
        byte[] png = headers().get("png");
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(png), ContentTypes.PEEK);

        assertThat(MAGIC.detect(in)).isEqualTo(MediaType.image("png"));
        assertThat(in.readAllBytes()).isEqualTo(png);
    }

    /** Tika's type and {@link MagicTypes}' for the same bytes, asserted equal; returns it. */
    private static MediaType same(byte[] content) throws IOException {
        MediaType tika = TIKA.detect(new BufferedInputStream(new ByteArrayInputStream(content), ContentTypes.PEEK),
                new Metadata());
        MediaType fast = MAGIC.detect(new BufferedInputStream(new ByteArrayInputStream(content), ContentTypes.PEEK));
        assertThat(fast).as("the type of %d bytes starting %s", content.length,
                hex(Arrays.copyOf(content, Math.min(24, content.length)))).isEqualTo(tika);
        return fast;
    }

    /** The literal characters a regular expression starts with, enough to reach some of them. */
    private static byte[] literal(byte[] regex) {
        String source = new String(regex, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length()) {
                out.append(source.charAt(++i));
            } else if ("[](){}*+?|^$.".indexOf(c) < 0) {
                out.append(c);
            } else if (out.length() > 0) {
                break;
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, byte[]> headers() {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put("empty", new byte[0]);
        h.put("one zero byte", new byte[1]);
        h.put("png", concat(bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R',
                0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0), new byte[200]));
        h.put("jpeg", concat(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0),
                new byte[300]));
        h.put("jpeg exif", concat(bytes(0xff, 0xd8, 0xff, 0xe1, 0, 0x10, 'E', 'x', 'i', 'f', 0, 0), new byte[300]));
        h.put("gif", ascii("GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000"));
        h.put("gif87a", ascii("GIF87a\u0001\u0000\u0001\u0000"));
        h.put("pdf", ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"));
        byte[] zipEntry = concat(bytes('P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                bytes(9, 0, 0, 0), ascii("hello.txt"), new byte[64]);
        h.put("zip", zipEntry);
        h.put("empty zip", bytes('P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        h.put("docx-like zip", concat(bytes('P', 'K', 3, 4, 20, 0, 6, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0), bytes(19, 0, 0, 0), ascii("[Content_Types].xml"), new byte[64],
                ascii("PK\u0003\u0004"), new byte[26], ascii("word/document.xml"), new byte[64]));
        h.put("odt-like zip", concat(bytes('P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                bytes(8, 0, 0, 0), ascii("mimetypeapplication/vnd.oasis.opendocument.text"), new byte[64]));
        h.put("jar-like zip", concat(bytes('P', 'K', 3, 4, 20, 0, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                bytes(20, 0, 4, 0), ascii("META-INF/MANIFEST.MF"), bytes(0xfe, 0xca, 0, 0), new byte[64]));
        h.put("ole2", concat(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), new byte[512]));
        h.put("gzip", concat(bytes(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3), new byte[40]));
        h.put("tar", tar());
        h.put("webp", concat(ascii("RIFF"), bytes(0x24, 0, 0, 0), ascii("WEBPVP8 "), new byte[40]));
        h.put("wav", concat(ascii("RIFF"), bytes(0x24, 0, 0, 0), ascii("WAVEfmt "), new byte[40]));
        h.put("bmp", concat(ascii("BM"), bytes(0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0), new byte[40]));
        h.put("tiff", concat(bytes('I', 'I', 42, 0, 8, 0, 0, 0), new byte[40]));
        h.put("mp3 id3", concat(ascii("ID3"), bytes(3, 0, 0, 0, 0, 0, 0), new byte[100]));
        h.put("mp4", concat(bytes(0, 0, 0, 0x18), ascii("ftypmp42"), bytes(0, 0, 0, 0), ascii("mp42isom"), new byte[32]));
        h.put("elf", concat(bytes(0x7f, 'E', 'L', 'F', 2, 1, 1, 0), new byte[56]));
        h.put("exe", concat(ascii("MZ"), new byte[200]));
        h.put("wasm", bytes(0, 'a', 's', 'm', 1, 0, 0, 0));
        h.put("ascii text", ascii("The quick brown fox jumps over the lazy dog.\nSecond line.\n"));
        h.put("utf-8 text", "Grüße aus Zürich – ça va? 日本語\n".getBytes(StandardCharsets.UTF_8));
        h.put("utf-16 text with bom", concat(bytes(0xff, 0xfe), "hello".getBytes(StandardCharsets.UTF_16LE)));
        h.put("json", ascii("{\"name\": \"stowage\", \"sizes\": [1, 2, 3], \"ok\": true}\n"));
        h.put("csv", ascii("id,name,size\n1,a.png,10\n2,b.png,20\n"));
        h.put("text with one nul", ascii("almost text\u0000but not quite"));
        h.put("shell script", ascii("#!/bin/sh\necho hello\n"));
        h.put("python script", ascii("#!/usr/bin/env python3\nprint('hi')\n"));
        h.put("html", ascii("<!DOCTYPE html>\n<html><head><title>t</title></head><body>hi</body></html>\n"));
        h.put("html lower no doctype", ascii("<html><body><script>alert(1)</script></body></html>"));
        h.put("html after whitespace", ascii("\n\n   <HTML><BODY>x</BODY></HTML>"));
        h.put("html script only", ascii("<script>alert(document.cookie)</script>"));
        h.put("html in a comment first", ascii("<!-- a comment -->\n<html><body>x</body></html>"));
        h.put("html after a bom", concat(bytes(0xef, 0xbb, 0xbf), ascii("<!DOCTYPE html><html></html>")));
        h.put("xhtml", ascii("<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>"));
        h.put("svg", ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><script>alert(1)</script></svg>"));
        h.put("svg with xml declaration", ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"));
        h.put("svg with doctype", ascii("<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                + "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
        h.put("svg after a comment", ascii("<!-- made by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
        h.put("xml", ascii("<?xml version=\"1.0\"?>\n<catalog><book id=\"1\"/></catalog>"));
        h.put("xml without declaration", ascii("<catalog xmlns=\"urn:x\"><book/></catalog>"));
        h.put("rss", ascii("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>"));
        h.put("atom", ascii("<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"/>"));
        h.put("utf-16 xml", concat(bytes(0xff, 0xfe), "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"
                .getBytes(StandardCharsets.UTF_16LE)));
        h.put("rtf", ascii("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} hello}"));
        h.put("postscript", ascii("%!PS-Adobe-3.0\n%%Title: x\n"));
        h.put("javascript", ascii("function f() { return document.cookie; }\n"));
        h.put("png signature over html", concat(bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a),
                ascii("<html><script>alert(1)</script></html>")));
        h.put("html over png bytes", concat(ascii("<html>"), bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)));
        Random random = new Random(4);
        h.put("random 4 KiB", bytes(random, 4096));
        h.put("random 64 KiB", bytes(random, 65_536));
        h.put("zeros 4 KiB", new byte[4096]);
        return h;
    }

    private static byte[] tar() {
        byte[] block = new byte[1024];
        System.arraycopy(ascii("hello.txt"), 0, block, 0, 9);
        System.arraycopy(ascii("ustar\u000000"), 0, block, 257, 8);
        return block;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        List<Byte> out = new ArrayList<>();
        for (byte[] p : parts) {
            for (byte b : p) {
                out.add(b);
            }
        }
        byte[] bytes = new byte[out.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = out.get(i);
        }
        return bytes;
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }
}
