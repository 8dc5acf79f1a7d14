/*
 * datetime.c: ISO 8601 parsing and civil-date arithmetic on day numbers,
 * after Howard Hinnant's days_from_civil / civil_from_days algorithms
 * (exact for every proleptic Gregorian date, no tables, no libc time).
 */
#include "base/datetime.h"

#include <math.h>
#include <stdlib.h>

#include "base/banned.h"

long long
datetime_days(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
datetime_civil(long long z, long long *year, int *month, int *day)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

static int
leap(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(long long y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

/* Exactly n digits at s into *v; returns the end or NULL. */
static const char *
digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NULL;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return s + n;
}

int
datetime_parse(const char *s, double *t)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    double frac = 0;
    if (!s)
        return -1;
    if (!(s = digits(s, 4, &y)) || *s++ != '-' || !(s = digits(s, 2, &mo)) || *s++ != '-' ||
        !(s = digits(s, 2, &d)))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
        return -1;
    if (*s == 'T' || *s == ' ') {
        s++;
        if (!(s = digits(s, 2, &h)) || *s++ != ':' || !(s = digits(s, 2, &mi)))
            return -1;
        if (*s == ':') {
            if (!(s = digits(s + 1, 2, &se)))
                return -1;
            if (*s == '.') {
                double scale = 0.1;
                if (!(*++s >= '0' && *s <= '9'))
                    return -1;
                for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
                    frac += (*s - '0') * scale;
            }
        }
        if (h > 23 || mi > 59 || se > 59)
            return -1;
    }
    if (*s == 'Z')
        s++;
    if (*s)
        return -1;
    *t = (double)datetime_days(y, mo, d) * DATETIME_DAY + h * 3600.0 + mi * 60.0 + se + frac;
    return 0;
}

void
datetime_format(long long days, char *out, int size)
{
    long long y;
    int m, d;
    datetime_civil(days, &y, &m, &d);
    if (size < 16)
        return;
    /* y fits in 4 digits for every date the parser accepts */
    out[0] = (char)('0' + (y / 1000) % 10);
    out[1] = (char)('0' + (y / 100) % 10);
    out[2] = (char)('0' + (y / 10) % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

long long
datetime_day_of(double t)
{
    return (long long)floor(t / DATETIME_DAY);
}

int
datetime_weekday(long long days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0) */
    long long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int
datetime_duration(const char *s, double *seconds)
{
    char *end = NULL;
    if (!s || !*s)
        return -1;
    double v = strtod(s, &end);
    if (end == s || !(v > 0) || !isfinite(v))
        return -1;
    double unit = 1;
    switch (*end) {
    case '\0': case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = DATETIME_DAY; break;
    default: return -1;
    }
    if (*end && end[1])
        return -1;
    *seconds = v * unit;
    return 0;
}
