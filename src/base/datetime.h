/*
 * datetime.h: calendar arithmetic for preprocessing commands (rfm, series,
 * sessions). Dates are counted in days since 1970-01-01 (proleptic
 * Gregorian, no time zone: shop-local time as written in the data);
 * times of day are seconds since that midnight, so a timestamp is
 * day * 86400 + seconds as a double.
 */
#ifndef QUARRY_DATETIME_H
#define QUARRY_DATETIME_H

#define DATETIME_DAY 86400.0

/*
 * Parse an ISO 8601 date or timestamp: YYYY-MM-DD, optionally followed
 * by 'T' or ' ' and hh:mm, hh:mm:ss or hh:mm:ss.fff, and an optional
 * trailing 'Z'. Every field is range-checked (2023-02-30 and 25:61 fail).
 * On success stores seconds since 1970-01-01T00:00:00 in *t and returns
 * 0; returns -1 for anything else (s may be NULL).
 */
int datetime_parse(const char *s, double *t);

/* Days since 1970-01-01 of a civil date (month 1..12, day 1..31). */
long long datetime_days(long long year, int month, int day);
/* The civil date of a day number. */
void datetime_civil(long long days, long long *year, int *month, int *day);
/* Day number to "YYYY-MM-DD" in out (at least 16 bytes). */
void datetime_format(long long days, char *out, int size);
/* The day number of a timestamp t (floor(t / 86400)). */
long long datetime_day_of(double t);
/* ISO weekday of a day number: 0 = Monday ... 6 = Sunday. */
int datetime_weekday(long long days);

/*
 * Parse a duration such as 30m, 90s, 1.5h, 2d or a bare number of
 * seconds into seconds. Returns 0, or -1 if s is not a positive duration.
 */
int datetime_duration(const char *s, double *seconds);

#endif
