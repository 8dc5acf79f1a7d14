/*
 * prep_date.c: prep_date_parse, mixed-format dates to ISO 8601 (prep.h).
 *
 * The text is read as a sequence of tokens (numbers, month names,
 * separators), matched against the date layouts, then an optional time.
 * Anything left over, an impossible day (30 February) or a field out of
 * range makes the value unparseable.
 */
#include "prep/prep.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

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

/* A month name (three letters or the whole name), 1..12, or 0. */
static int
month_name(const char **p)
{
    const char *s = *p;
    int len = 0;
    while (isalpha((unsigned char)s[len]))
        len++;
    if (len < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        if (strncasecmp(s, months[m], 3) != 0)
            continue;
        static const char *const full[] = {"january", "february", "march", "april",
                                           "may", "june", "july", "august",
                                           "september", "october", "november", "december"};
        if (len == 3 || (len <= (int)strlen(full[m]) && strncasecmp(s, full[m], (size_t)len) == 0) ||
            (m == 8 && len == 4 && strncasecmp(s, "sept", 4) == 0)) {
            *p = s + len;
            return m + 1;
        }
    }
    return 0;
}

static void
skip_spaces(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
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
    if (na >= 1 && na <= 2) {
        if (*s == '/' || *s == '.' || *s == '-') { /* 05/03/2024, 05.03.2024 */
            char sep = *s++;
            if (number(&s, 2, &b) && *s == sep) {
                s++;
                if (number(&s, 4, &c) == 4) {
                    int day_first = sep == '.' || dayfirst;
                    *y = c;
                    *d = day_first ? a : b;
                    *m = day_first ? b : a;
                    *p = s;
                    return 1;
                }
            }
            return 0;
        }
        skip_spaces(&s); /* 5 Mar 2024 */
        int mon = month_name(&s);
        if (mon) {
            if (*s == '.')
                s++;
            skip_spaces(&s);
            if (*s == ',')
                s++;
            skip_spaces(&s);
            if (number(&s, 4, &c) == 4) {
                *y = c, *m = mon, *d = a;
                *p = s;
                return 1;
            }
        }
        return 0;
    }
    if (na == 0) { /* Mar 5 2024, March 5, 2024 */
        int mon = month_name(&s);
        if (!mon)
            return 0;
        if (*s == '.')
            s++;
        skip_spaces(&s);
        if (!number(&s, 2, &b))
            return 0;
        if (*s == ',')
            s++;
        skip_spaces(&s);
        if (number(&s, 4, &c) != 4)
            return 0;
        *y = c, *m = mon, *d = b;
        *p = s;
        return 1;
    }
    return 0;
}

int
prep_date_parse(const char *text, int dayfirst, char out[24], int *has_time)
{
    const char *s = text;
    int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0, timed = 0;
    skip_spaces(&s);
    if (!parse_date(&s, dayfirst, &y, &m, &d) || !valid_ymd(y, m, d))
        return -1;
    if (*s == 'T' || *s == ' ') {
        const char *t = s + 1;
        skip_spaces(&t);
        if (isdigit((unsigned char)*t)) {
            if (!number(&t, 2, &hh) || *t != ':')
                return -1;
            t++;
            if (number(&t, 2, &mm) != 2)
                return -1;
            if (*t == ':') {
                t++;
                if (number(&t, 2, &ss) != 2)
                    return -1;
                if (*t == '.' || *t == ',') { /* fractions of a second are dropped */
                    t++;
                    while (isdigit((unsigned char)*t))
                        t++;
                }
            }
            if (*t == 'Z')
                t++;
            if (hh > 23 || mm > 59 || ss > 60)
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
    char tmp[64]; /* every field is range-checked above: the text fits out[24] */
    if (timed)
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, hh, mm, ss);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 20);
    out[timed ? 19 : 10] = 0;
    *has_time = timed;
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
