package io.stowage.server;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An instant as {@link DateTimeFormatter#RFC_1123_DATE_TIME} writes it in UTC ({@code Fri, 4 Dec 2026 22:26:40 GMT}),
 * the form of {@code Last-Modified}, written by hand for the years 1000 to 9999: the formatter was a few percent of a
 * small GET's time (decision 0082). Other years go to the formatter.
 */
final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private HttpDate() {
    }

    /** {@code t}, to the second (a fraction is dropped, as the formatter drops it). */
    static String format(Instant t) {
        long seconds = t.getEpochSecond();
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int year = day.getYear();
        if (year < 1000 || year > 9999) {
            return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC));
        }
        int ofDay = (int) Math.floorMod(seconds, 86_400);
        StringBuilder b = new StringBuilder(29);
        b.append(DAYS[day.getDayOfWeek().ordinal()]).append(", ").append(day.getDayOfMonth()).append(' ')
                .append(MONTHS[day.getMonthValue() - 1]).append(' ').append(year).append(' ');
        two(b, ofDay / 3600).append(':');
        two(b, ofDay / 60 % 60).append(':');
        return two(b, ofDay % 60).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
