package dev.lethe.query;

import dev.lethe.domain.DomainException;
import dev.lethe.query.where.Scope;
import dev.lethe.query.where.Where;
import dev.lethe.store.Sql;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

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

    /** Parses the parameters as Mixpanel names them; a refusal names the parameter. */
    public static ExportRequest parse(String fromDate, String toDate, String event, String where, String limit, String timeInMs) {
        LocalDate from = date("from_date", fromDate);
        LocalDate to = date("to_date", toDate);
        if (to.isBefore(from)) {
            throw DomainException.invalidInput("to_date must not be before from_date");
        }
        return new ExportRequest(startMs(from), startMs(to.plusDays(1)), Params.stringArray("event", event, Sql.MAX_IN),
                Params.where(where, Scope.EVENTS), Params.integer("limit", limit, 1, MAX_LIMIT), Params.flag("time_in_ms", timeInMs));
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidInput(name + " is required (yyyy-mm-dd)");
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw DomainException.invalidInput(name + " must be a date as yyyy-mm-dd");
        }
    }

    private static long startMs(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
