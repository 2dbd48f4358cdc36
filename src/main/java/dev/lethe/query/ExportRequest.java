package dev.lethe.query;

import dev.lethe.domain.DomainException;
import dev.lethe.query.where.Scope;
import dev.lethe.query.where.Where;
import dev.lethe.store.Sql;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A raw export: events with {@code fromMs <= time < toMs} (whole UTC days, both ends inclusive
 * as given), optionally only some event names and those matching {@code where}.
 *
 * @param events null for every event
 * @param limit  null for no limit
 */
public record ExportRequest(long fromMs, long toMs, List<String> events, Where where, Integer limit, boolean timeInMs) {

    /** Mixpanel refuses a larger {@code limit}. */
    public static final int MAX_LIMIT = 100_000;

    /** The days an event can fall on: ingestion takes times from the epoch to the end of year 9999. */
    private static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    /** Parses the parameters as Mixpanel names them; a refusal names the parameter. */
    public static ExportRequest parse(String fromDate, String toDate, String event, String where, String limit, String timeInMs) {
        LocalDate from = date("from_date", fromDate);
        LocalDate to = date("to_date", toDate);
        if (to.isBefore(from)) {
            throw DomainException.invalidInput("to_date must not be before from_date");
        }
        List<String> events = Params.stringArray("event", event, Sql.MAX_IN);
        if (events != null && events.isEmpty()) {
            // why: an empty list would export nothing, which no caller means; leaving it out exports every event
            throw DomainException.invalidInput("event is an empty list: name at least one event, or leave event out for every event");
        }
        return new ExportRequest(startMs(from), startMs(to.plusDays(1)), events,
                Params.where(where, Scope.EVENTS), Params.integer("limit", limit, 1, MAX_LIMIT), Params.flag("time_in_ms", timeInMs));
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidInput(name + " is required (yyyy-mm-dd)");
        }
        String refusal = name + " must be a date as yyyy-mm-dd from " + FIRST_DAY + " to " + LAST_DAY;
        // why: LocalDate also reads signed and five-digit years (-0001-01-01), which hold no events
        if (!DATE.matcher(value).matches()) {
            throw DomainException.invalidInput(refusal);
        }
        LocalDate day;
        try {
            day = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalidInput(refusal);
        }
        if (day.isBefore(FIRST_DAY)) {
            throw DomainException.invalidInput(refusal);
        }
        return day;
    }

    private static long startMs(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
