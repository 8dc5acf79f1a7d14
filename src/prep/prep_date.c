/*
 * prep_date.c: prep_date_parse, mixed-format dates to ISO 8601 (prep.h).
 *
 * The text is read as a sequence of tokens (numbers, month and weekday
 * names, separators), matched against the date layouts, then an optional
 * time with its fraction of a second and UTC offset. Anything left over,
 * an impossible day (30 February), a weekday that is not the date's or a
 * field out of range makes the value unparseable.
 *
 * prep_dates_column does a whole column: each distinct text once, or each
 * number read as YYYYMMDD, with the counts and examples `clean dates=`
 * reports.
 */
#include "prep/prep.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datetime.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/tick.h"

#include "base/banned.h"

/* Digits of a fraction of a second kept (nanoseconds); further ones are dropped. */
#define FRACTION_DIGITS 9
/* The largest UTC offset in use, in hours (Kiribati, +14:00). */
#define MAX_OFFSET_HOURS 14

static const char *const months[] = {"january", "february", "march", "april", "may", "june",
                                     "july", "august", "september", "october", "november",
                                     "december"};
static const char *const weekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                       "saturday", "sunday"};

static int
leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* Read an unsigned number of 1..max_digits digits; returns digits read. */
static int
number(const char **p, int max_digits, int *out)
{
    int n = 0, v = 0;
    while (n < max_digits && isdigit((unsigned char)(*p)[n]))
        v = v * 10 + ((*p)[n++] - '0');
    if (n == 0 || isdigit((unsigned char)(*p)[n]))
        return 0;
    *p += n;
    *out = v;
    return n;
}

/*
 * A name from names[0..n) at *p: its first three letters, or any longer
 * prefix of it (Sept, Tues, Thurs too). Returns its index + 1, or 0.
 */
static int
name_of(const char **p, const char *const *names, int n)
{
    const char *s = *p;
    int len = 0;
    while (isalpha((unsigned char)s[len]))
        len++;
    if (len < 3)
        return 0;
    for (int i = 0; i < n; i++)
        if (len <= (int)strlen(names[i]) && strncasecmp(s, names[i], (size_t)len) == 0) {
            *p = s + len;
            return i + 1;
        }
    return 0;
}

static void
skip_spaces(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* A month name at *p and the '.' of an abbreviation after it: 1..12, or 0. */
static int
month_at(const char **p)
{
    int m = name_of(p, months, 12);
    if (m && **p == '.')
        (*p)++;
    return m;
}

/* A date that starts with a day of 1 or 2 digits, a already read: 05/03/2024, 5-Mar-2024. */
static int
day_first_date(const char **p, const char *s, int a, int dayfirst, int *y, int *m, int *d)
{
    int b, c, mon;
    if (*s == '/' || *s == '.' || *s == '-') {
        char sep = *s++;
        if (number(&s, 2, &b) && *s == sep) { /* 05/03/2024, 05.03.2024 */
            s++;
            if (number(&s, 4, &c) != 4)
                return 0;
            int day_first = sep == '.' || dayfirst;
            *y = c;
            *d = day_first ? a : b;
            *m = day_first ? b : a;
        } else if ((mon = name_of(&s, months, 12)) && *s == sep) { /* 5-Mar-2024 */
            s++;
            int digits = number(&s, 4, &c);
            if (digits == 2) /* 19-Sep-03, as Yahoo and Excel write it: strptime's %y */
                c += c < 69 ? 2000 : 1900;
            else if (digits != 4)
                return 0;
            *y = c, *m = mon, *d = a;
        } else {
            return 0;
        }
        *p = s;
        return 1;
    }
    skip_spaces(&s); /* 5 Mar 2024, 5 March, 2024 */
    if (!(mon = month_at(&s)))
        return 0;
    skip_spaces(&s);
    if (*s == ',')
        s++;
    skip_spaces(&s);
    if (number(&s, 4, &c) != 4)
        return 0;
    *y = c, *m = mon, *d = a;
    *p = s;
    return 1;
}

/* A date that starts with the month's name: Mar 5 2024, March 5, 2024, Jan-1-1995. */
static int
month_first_date(const char **p, int *y, int *m, int *d)
{
    const char *s = *p;
    int mon = month_at(&s), b, c;
    if (!mon)
        return 0;
    char sep = *s == '-' || *s == '/' ? *s++ : 0;
    if (!sep)
        skip_spaces(&s);
    if (!number(&s, 2, &b))
        return 0;
    if (sep && *s++ != sep)
        return 0;
    if (!sep) {
        if (*s == ',')
            s++;
        skip_spaces(&s);
    }
    if (number(&s, 4, &c) != 4)
        return 0;
    *y = c, *m = mon, *d = b;
    *p = s;
    return 1;
}

/* The date part; on success *p is after it. */
static int
parse_date(const char **p, int dayfirst, int *y, int *m, int *d)
{
    const char *s = *p;
    int a, b, c;
    int na = number(&s, 8, &a);
    if (na == 8) { /* 20240305 */
        *y = a / 10000;
        *m = a / 100 % 100;
        *d = a % 100;
        *p = s;
        return 1;
    }
    if (na == 4 && (*s == '-' || *s == '/' || *s == '.')) { /* 2024-03-05, 2024/03/05 */
        char sep = *s++;
        if (number(&s, 2, &b) && *s == sep) {
            s++;
            if (number(&s, 2, &c)) {
                *y = a, *m = b, *d = c;
                *p = s;
                return 1;
            }
        }
        return 0;
    }
    if (na >= 1 && na <= 2)
        return day_first_date(p, s, a, dayfirst, y, m, d);
    if (na == 0)
        return month_first_date(p, y, m, d);
    return 0;
}

/*
 * A weekday name before the date (Tue 5 Mar 2024, Tuesday, March 5, 2024):
 * 0..6 from Monday, and *p after it and its punctuation; -1 when none.
 */
static int
weekday_prefix(const char **p)
{
    const char *s = *p;
    int w = name_of(&s, weekdays, 7);
    if (!w)
        return -1;
    if (*s == '.')
        s++;
    if (*s == ',')
        s++;
    if (*s != ' ' && *s != '\t')
        return -1;
    skip_spaces(&s);
    *p = s;
    return w - 1;
}

/*
 * The time after a date: hh:mm[:ss[.fraction]], each field range-checked;
 * the fraction's digits (at most FRACTION_DIGITS) go to frac.
 */
static int
parse_time(const char **p, int *hh, int *mm, int *ss, char *frac)
{
    const char *t = *p;
    if (!number(&t, 2, hh) || *t != ':')
        return 0;
    t++;
    if (number(&t, 2, mm) != 2)
        return 0;
    if (*t == ':') {
        t++;
        if (number(&t, 2, ss) != 2)
            return 0;
        if ((*t == '.' || *t == ',') && isdigit((unsigned char)t[1])) {
            int n = 0;
            for (t++; isdigit((unsigned char)*t); t++)
                if (n < FRACTION_DIGITS)
                    frac[n++] = *t;
            frac[n] = 0;
        }
    }
    if (*hh > 23 || *mm > 59 || *ss > 60)
        return 0;
    *p = t;
    return 1;
}

/*
 * The zone after a time: Z, UTC or GMT (offset 0), or +hh:mm, +hhmm, +hh
 * (or -), after optional spaces. *minutes is the offset east of UTC;
 * returns 1 when a zone was read, 0 when none, -1 when it is malformed.
 */
static int
parse_zone(const char **p, int *minutes)
{
    const char *s = *p;
    skip_spaces(&s);
    *minutes = 0;
    if (*s == 'Z') {
        *p = s + 1;
        return 1;
    }
    if (strncasecmp(s, "UTC", 3) == 0 || strncasecmp(s, "GMT", 3) == 0) {
        *p = s + 3;
        return 1;
    }
    if (*s != '+' && *s != '-')
        return 0;
    int sign = *s++ == '-' ? -1 : 1, h = 0, m = 0;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
        return -1;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    s += 2;
    if (*s == ':')
        s++;
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) {
        m = (s[0] - '0') * 10 + (s[1] - '0');
        s += 2;
    } else if (s[-1] == ':') {
        return -1;
    }
    if (isdigit((unsigned char)*s) || h > MAX_OFFSET_HOURS || m > 59)
        return -1;
    *minutes = sign * (h * 60 + m);
    *p = s;
    return 1;
}

/* Move y-m-d hh:mm back by minutes (a UTC offset); 0 when the date leaves years 1..9999. */
static int
to_utc(int *y, int *m, int *d, int *hh, int *mm, int minutes)
{
    long long day = datetime_days(*y, *m, *d);
    long long t = (long long)*hh * 60 + *mm - minutes;
    long long shift = t >= 0 ? t / 1440 : -((-t + 1439) / 1440);
    t -= shift * 1440;
    long long year;
    datetime_civil(day + shift, &year, m, d);
    if (year < 1 || year > 9999)
        return 0;
    *y = (int)year;
    *hh = (int)(t / 60);
    *mm = (int)(t % 60);
    return 1;
}

int
prep_date_parse(const char *text, int dayfirst, struct prep_date *out)
{
    const char *s = text;
    int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0, timed = 0, zone = 0, minutes = 0;
    char frac[FRACTION_DIGITS + 1] = "";
    skip_spaces(&s);
    int wday = weekday_prefix(&s);
    if (!parse_date(&s, dayfirst, &y, &m, &d) || !valid_ymd(y, m, d))
        return -1;
    if (wday >= 0 && datetime_weekday(datetime_days(y, m, d)) != wday)
        return -1; /* Mon 5 Mar 2024 was a Tuesday: which one is wrong? */
    if (*s == 'T' || *s == ' ') {
        const char *t = s + 1;
        skip_spaces(&t);
        if (isdigit((unsigned char)*t)) {
            if (!parse_time(&t, &hh, &mm, &ss, frac))
                return -1;
            if ((zone = parse_zone(&t, &minutes)) < 0)
                return -1;
            timed = 1;
            s = t;
        }
    }
    skip_spaces(&s);
    if (*s)
        return -1;
    if (timed && ss == 60) {
        /*
         * A leap second (hh:mm:60) is read as the instant it ends, the
         * next minute's :00, as PostgreSQL's timestamp input and POSIX
         * timegm read it: order and durations stay right (it was :59,
         * a second early, which put it before a real :59 row's end).
         */
        ss = 0;
        if (++mm == 60) {
            mm = 0;
            if (++hh == 24) {
                hh = 0;
                if (!valid_ymd(y, m, ++d)) {
                    d = 1;
                    if (++m == 13) {
                        m = 1;
                        y++;
                    }
                }
            }
        }
        if (y > 9999)
            return -1;
    }
    if (minutes && !to_utc(&y, &m, &d, &hh, &mm, minutes))
        return -1;
    char tmp[64]; /* every field is range-checked above: the text fits out->iso */
    if (timed)
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", y, m, d, hh, mm, ss,
                 *frac ? "." : "", frac);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out->iso, tmp, strlen(tmp) + 1);
    out->has_time = timed;
    out->offset = zone && minutes != 0;
    return 0;
}

int
prep_date_dayfirst_hint(const char *text)
{
    const char *s = text;
    int a, b;
    skip_spaces(&s);
    int na = number(&s, 2, &a);
    if (!na || *s != '/')
        return 0;
    s++;
    if (!number(&s, 2, &b))
        return 0;
    if (a > 12 && b <= 12)
        return 1;
    if (b > 12 && a <= 12)
        return -1;
    return 0;
}

/* --- a column ---------------------------------------------------------------- */

void
prep_dates_release(struct prep_dates *d)
{
    for (int i = 0; d->iso && i < d->n_iso; i++)
        free(d->iso[i]);
    free(d->iso);
    free(d->block);
    free(d->text);
    for (int i = 0; i < d->n_examples; i++)
        free(d->bad[i]);
    memset(d, 0, sizeof *d);
}

/* Keep text as an example of what failed, unless it is one already. */
static void
add_example(struct prep_dates *d, const char *text)
{
    if (d->n_examples == PREP_DATE_EXAMPLES)
        return;
    for (int i = 0; i < d->n_examples; i++)
        if (strcmp(d->bad[i], text) == 0)
            return;
    d->bad[d->n_examples++] = xstrdup(text);
}

/* Text column j: each distinct value parsed once. */
static int
text_column(const struct frame *f, int j, struct prep_dates *d, struct tick *tk,
            struct qerr *err)
{
    int n_levels = f->n_levels[j];
    for (int l = 0; l < n_levels; l++) {
        if (tick_row(tk, l, n_levels))
            return tick_fail(err);
        d->hint += prep_date_dayfirst_hint(f->levels[j][l]);
    }
    d->dayfirst = d->hint >= 0;
    d->iso = mem_calloc((size_t)n_levels + 1, sizeof(char *), "clean", "distinct dates", err);
    if (!d->iso)
        return -1;
    d->n_iso = n_levels;
    int *offset = mem_calloc((size_t)n_levels + 1, sizeof(int), "clean", "distinct dates", err);
    if (!offset)
        return -1;
    for (int l = 0; l < n_levels; l++) {
        if (tick_row(tk, l, n_levels)) {
            free(offset);
            return tick_fail(err);
        }
        struct prep_date one;
        if (prep_date_parse(f->levels[j][l], d->dayfirst, &one) == 0) {
            d->iso[l] = xstrdup(one.iso);
            d->has_time |= one.has_time;
            offset[l] = one.offset;
        }
    }
    for (int l = 0; d->has_time && l < n_levels; l++) {
        if (d->iso[l] && strlen(d->iso[l]) == 10) { /* a date among timestamps: midnight */
            char *t = xmalloc(20);
            memcpy(t, d->iso[l], 10);
            memcpy(t + 10, "T00:00:00", 10);
            free(d->iso[l]);
            d->iso[l] = t;
        }
    }
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(tk, r, f->n_rows)) {
            free(offset);
            return tick_fail(err);
        }
        int c = f->code[j][r];
        if (c < 0)
            continue;
        if (!d->iso[c]) {
            d->n_bad++;
            add_example(d, f->levels[j][c]);
            continue;
        }
        d->text[r] = d->iso[c];
        d->n_ok++;
        d->n_offset += offset[c];
        d->n_changed += strcmp(d->iso[c], f->levels[j][c]) != 0;
    }
    free(offset);
    return 0;
}

/* Numeric column j: whole numbers read as YYYYMMDD (20240305). */
static int
number_column(const struct frame *f, int j, struct prep_dates *d, struct tick *t,
              struct qerr *err)
{
    const double *x = frame_col(f, j);
    d->block = mem_alloc((size_t)f->n_rows + 1, 11, "clean", "dates", err);
    if (!d->block)
        return -1;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows))
            return tick_fail(err);
        if (isnan(x[r]))
            continue;
        char in[32];
        struct prep_date one;
        if (x[r] == floor(x[r]) && x[r] >= 0 && x[r] < 1e8)
            snprintf(in, sizeof in, "%.0f", x[r]);
        else
            in[0] = 0;
        if (!in[0] || strlen(in) != 8 || prep_date_parse(in, 1, &one) != 0) {
            struct buf b = BUF_INIT;
            if (x[r] == floor(x[r]) && fabs(x[r]) < 1e15)
                buf_addf(&b, "%.0f", x[r]);
            else
                buf_add_real(&b, x[r]);
            add_example(d, b.data);
            buf_release(&b);
            d->n_bad++;
            continue;
        }
        memcpy(d->block + r * 11, one.iso, 11);
        d->text[r] = d->block + r * 11;
        d->n_ok++;
        d->n_changed++;
    }
    return 0;
}

int
prep_dates_column(const struct frame *f, int j, int (*progress)(void *, double), void *pctx,
                  struct prep_dates *d, struct qerr *err)
{
    memset(d, 0, sizeof *d);
    d->text = mem_calloc((size_t)f->n_rows + 1, sizeof(char *), "clean", "dates", err);
    if (!d->text)
        return -1;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    int rc = f->kind[j] == FRAME_TEXT ? text_column(f, j, d, &tk, err)
                                      : number_column(f, j, d, &tk, err);
    if (rc < 0)
        prep_dates_release(d);
    return rc;
}
