/*
 * csv_value.c: the value rules of csv.h: what kind a text value is
 * (integer, real, date, timestamp, text, missing), the numbers parsed
 * exactly as strtod would, and how kinds merge into a column's kind. The
 * reader is in csv.c.
 *
 * Numbers are scanned once by the grammar of csv.h into a struct num (19
 * significant digits and a power of ten); most convert by Clinger's fast
 * path, the rest by strtod in the C locale.
 */
#include "data/csv.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

static inline int
is_space(char c)
{
    return c == ' ' || c == '\t';
}

static inline int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Skip spaces and tabs at both ends of [*pp, *pe). */
static inline void
trim(const char **pp, const char **pe)
{
    const char *p = *pp, *e = *pe;
    if (p == e || (!is_space(*p) && !is_space(e[-1])))
        return;
    while (p < e && is_space(*p))
        p++;
    while (e > p && is_space(e[-1]))
        e--;
    *pp = p;
    *pe = e;
}

int
csv_parse_int(const char *p, size_t len, long long *out)
{
    const char *e = p + len;
    int neg = 0;

    trim(&p, &e);
    if (p < e && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
    }
    if (p == e || e - p > 19 || (*p == '0' && e - p > 1))
        return -1;
    /* 19 digits stay below 1e19 < 2^64, so the sum cannot wrap. */
    unsigned long long v = 0;
    for (; p < e; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (d > 9)
            return -1;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1)
            return -1;
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX)
            return -1;
        *out = (long long)v;
    }
    return 0;
}

/* strtod of a number already checked by the CSV_REAL grammar, whatever the locale. */
static int
slow_real(const char *p, size_t len, double *out)
{
    char small[64];
    const char *dp = localeconv()->decimal_point;
    int c_point = !dp || !*dp || strcmp(dp, ".") == 0;
    size_t dplen = c_point ? 1 : strlen(dp);
    size_t cap = len * dplen + 1;
    char *s = cap <= sizeof(small) ? small : xmalloc(cap);
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        if (p[i] == '.' && !c_point) {
            memcpy(s + n, dp, dplen);
            n += dplen;
        } else {
            s[n++] = p[i];
        }
    }
    s[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(s, &end); /* beyond the range of doubles: +-inf, or 0 (or subnormal) */
    int ok = end == s + n;
    if (s != small)
        free(s);
    if (!ok)
        return -1;
    *out = v;
    return 0;
}

/* A number scanned by the CSV_REAL grammar: value = (-1)^neg * m * 10^dexp. */
struct num {
    uint64_t m;     /* the first 19 significant digits */
    long long dexp;
    int nd;         /* significant digits in m */
    int trunc;      /* nonzero digits beyond those 19 were dropped */
    int neg;
    int plain;      /* no point, no exponent: digits only */
};

/* Scan [p, e), no spaces around it, by the CSV_REAL grammar (0), or -1. */
static inline __attribute__((always_inline)) int
scan_number(const char *p, const char *e, struct num *n)
{
    uint64_t m = 0;
    long long dexp = 0;
    int nd = 0, trunc = 0, any;

    n->neg = 0;
    if (p < e && (*p == '+' || *p == '-')) {
        n->neg = *p == '-';
        p++;
    }
    const char *d = p;
    for (; p < e && is_digit(*p); p++) {
        unsigned x = (unsigned)(*p - '0');
        if (nd < 19) {
            m = m * 10 + x;
            nd += m != 0;
        } else {
            dexp++;
            trunc |= x != 0;
        }
    }
    if (p - d > 1 && *d == '0')
        return -1; /* a leading zero: a code, not a number */
    any = p > d;
    n->plain = 1;
    if (p < e && *p == '.') {
        n->plain = 0;
        const char *f = ++p;
        for (; p < e && is_digit(*p); p++) {
            unsigned x = (unsigned)(*p - '0');
            if (nd < 19) {
                m = m * 10 + x;
                nd += m != 0;
                dexp--;
            } else {
                trunc |= x != 0;
            }
        }
        any |= p > f;
    }
    if (!any)
        return -1;
    if (p < e && (*p == 'e' || *p == 'E')) {
        long long x = 0;
        n->plain = 0;
        int xneg = 0;
        p++;
        if (p < e && (*p == '+' || *p == '-')) {
            xneg = *p == '-';
            p++;
        }
        if (p == e || !is_digit(*p))
            return -1;
        for (; p < e && is_digit(*p); p++)
            if (x < 100000)
                x = x * 10 + (*p - '0');
        dexp += xneg ? -x : x;
    }
    if (p != e)
        return -1;
    n->m = m;
    n->dexp = dexp;
    n->nd = nd;
    n->trunc = trunc;
    return 0;
}

/* Powers of ten that doubles hold exactly. */
static const double p10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * 1 when [p, e) (no spaces around it) is an infinity, [+-]inf or
 * [+-]infinity in any case, with its value in *out.
 */
static int
parse_inf(const char *p, const char *e, double *out)
{
    int neg = p < e && *p == '-';
    p += p < e && (*p == '-' || *p == '+');
    size_t n = (size_t)(e - p);
    if ((n != 3 && n != 8) || strncasecmp(p, "infinity", n) != 0)
        return 0;
    *out = neg ? -INFINITY : INFINITY;
    return 1;
}

/* 1 when [p, e) (no spaces around it) is [+-]nan in any case: a missing value. */
static int
is_nan(const char *p, const char *e)
{
    p += p < e && (*p == '-' || *p == '+');
    return e - p == 3 && strncasecmp(p, "nan", 3) == 0;
}

/* Clinger's fast path: exact when m and 10^|dexp| are both exact doubles. */
static inline int
fast_path(const struct num *n)
{
    return !n->trunc && n->m <= (UINT64_C(1) << 53) && n->dexp >= -22 && n->dexp <= 22;
}

/*
 * Parse a number (or an infinity) into *out, and say in *kind (may be
 * NULL) whether it was an integer (CSV_INT), one too wide for int64
 * (CSV_BIGINT) or any other (CSV_REAL). 0, or -1 when it is not a number.
 */
static int
parse_real(const char *p, size_t len, double *out, enum csv_kind *kind)
{
    const char *e = p + len;
    struct num n;

    trim(&p, &e);
    if (scan_number(p, e, &n) < 0) {
        if (!parse_inf(p, e, out))
            return -1;
        if (kind)
            *kind = CSV_REAL;
        return 0;
    }
    if (kind) {
        long long v;
        *kind = !n.plain                                                    ? CSV_REAL
                : e - p < 19 || csv_parse_int(p, (size_t)(e - p), &v) == 0 ? CSV_INT
                                                                            : CSV_BIGINT;
    }
    if (n.m == 0) {
        *out = n.neg ? -0.0 : 0.0;
        return 0;
    }
    if (!fast_path(&n))
        return slow_real(p, (size_t)(e - p), out);
    double v = (double)n.m;
    v = n.dexp >= 0 ? v * p10[n.dexp] : v / p10[-n.dexp];
    *out = n.neg ? -v : v;
    return 0;
}

int
csv_parse_real(const char *p, size_t len, double *out)
{
    return parse_real(p, len, out, NULL);
}

enum csv_kind
csv_convert(const char *p, size_t len, enum csv_kind col, struct csv_value *v)
{
    enum csv_kind k;

    switch (col) {
    case CSV_INT:
        if (len - 1 < 18 && is_digit(*p) && (*p != '0' || len == 1)) {
            /* The common case, digits only, inline. */
            long long x = 0;
            size_t i = 0;
            for (; i < len && is_digit(p[i]); i++)
                x = x * 10 + (p[i] - '0');
            if (i == len) {
                v->i = x;
                return CSV_INT;
            }
        }
        if (csv_parse_int(p, len, &v->i) == 0)
            return CSV_INT;
        break;
    case CSV_REAL: {
        /*
         * The common case inline: [-]digits[.digits], 1 to 15 digits in
         * all, so the digits and the power of ten are exact doubles and
         * one division rounds correctly (Clinger's fast path).
         */
        const char *q = p, *e = p + len, *d, *f;
        uint64_t m = 0;
        int neg = q < e && *q == '-';
        q += neg;
        for (d = q; q < e && is_digit(*q); q++)
            m = m * 10 + (uint64_t)(*q - '0');
        size_t ni = (size_t)(q - d), nf = 0;
        int dot = q < e && *q == '.';
        if (dot) {
            for (f = ++q; q < e && is_digit(*q); q++)
                m = m * 10 + (uint64_t)(*q - '0');
            nf = (size_t)(q - f);
        }
        if (q == e && ni + nf - 1 < 15 && !(ni > 1 && *d == '0')) {
            double x = nf ? (double)m / p10[nf] : (double)m;
            v->d = neg ? -x : x;
            return dot ? CSV_REAL : CSV_INT;
        }
        if (parse_real(p, len, &v->d, &k) == 0)
            return k;
        break;
    }
    case CSV_DATE:
    case CSV_TIMESTAMP:
        k = csv_date_kind(p, len);
        if (k == CSV_DATE || (k == CSV_TIMESTAMP && col == CSV_TIMESTAMP))
            return k;
        break;
    default:
        break;
    }
    return csv_classify(p, len);
}

int
csv_days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* The n-digit number at p, or -1 if any of them is not a digit. */
static int
digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(p[i]))
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

enum csv_kind
csv_date_kind(const char *p, size_t len)
{
    if (len < 10 || p[4] != '-' || p[7] != '-')
        return CSV_TEXT;
    int y = digits(p, 4), mo = digits(p + 5, 2), d = digits(p + 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > csv_days_in_month(y, mo))
        return CSV_TEXT;
    if (len == 10)
        return CSV_DATE;
    if (len < 16 || (p[10] != 'T' && p[10] != ' ') || p[13] != ':')
        return CSV_TEXT;
    int h = digits(p + 11, 2), mi = digits(p + 14, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59)
        return CSV_TEXT;
    size_t i = 16;
    if (i < len && p[i] == ':') {
        int s = i + 3 <= len ? digits(p + i + 1, 2) : -1;
        if (s < 0 || s > 59)
            return CSV_TEXT;
        i += 3;
        if (i < len && p[i] == '.') {
            size_t f = ++i;
            while (i < len && is_digit(p[i]))
                i++;
            if (i == f || i - f > 9)
                return CSV_TEXT;
        }
    }
    if (i == len)
        return CSV_TIMESTAMP;
    if (p[i] == 'Z')
        return i + 1 == len ? CSV_TIMESTAMP : CSV_TEXT;
    if ((p[i] == '+' || p[i] == '-') && i + 6 == len && p[i + 3] == ':') {
        int oh = digits(p + i + 1, 2), om = digits(p + i + 4, 2);
        if (oh >= 0 && oh <= 23 && om >= 0 && om <= 59)
            return CSV_TIMESTAMP;
    }
    return CSV_TEXT;
}

/* The kind of [p, e), non-empty, with no spaces around it. */
static enum csv_kind
classify_trimmed(const char *p, const char *e)
{
    const char *s = p;
    long long v;
    struct num n;

    if (*p == '+' || *p == '-')
        p++;
    const char *d = p;
    while (p < e && is_digit(*p))
        p++;
    size_t nd = (size_t)(p - d);
    if (p == e && nd > 0) {
        if (nd > 1 && *d == '0')
            return CSV_TEXT; /* a code that keeps its zeros */
        if (nd < 19 || csv_parse_int(s, (size_t)(e - s), &v) == 0)
            return CSV_INT;
        return CSV_BIGINT;
    }
    if (p < e && *p == '-' && nd == 4 && d == s)
        return csv_date_kind(s, (size_t)(e - s));
    double x;
    if (scan_number(s, e, &n) == 0 || parse_inf(s, e, &x))
        return CSV_REAL; /* out of the range of doubles too: +-inf or 0 */
    if (is_nan(s, e))
        return CSV_NULL;
    return CSV_TEXT;
}

enum csv_kind
csv_classify(const char *p, size_t len)
{
    const char *e = p + len;
    if (len == 0)
        return CSV_NULL;
    if (!is_space(*p) && !is_space(e[-1]))
        return classify_trimmed(p, e);
    trim(&p, &e);
    if (p == e)
        return CSV_NULL;
    enum csv_kind k = classify_trimmed(p, e);
    return k == CSV_DATE || k == CSV_TIMESTAMP ? CSV_TEXT : k; /* dates must be exact */
}

enum csv_kind
csv_kind_merge(enum csv_kind col, enum csv_kind val)
{
    if (val == CSV_NULL || col == val)
        return col;
    if (col == CSV_NULL)
        return val;
    if (col == CSV_TEXT || val == CSV_TEXT)
        return CSV_TEXT;
    int num_col = col == CSV_INT || col == CSV_REAL || col == CSV_BIGINT;
    int num_val = val == CSV_INT || val == CSV_REAL || val == CSV_BIGINT;
    if (num_col && num_val)
        return col == CSV_BIGINT || val == CSV_BIGINT ? CSV_BIGINT : CSV_REAL;
    if (!num_col && !num_val)
        return CSV_TIMESTAMP;
    return CSV_TEXT;
}

const char *
csv_kind_decl(enum csv_kind kind)
{
    switch (kind) {
    case CSV_INT:
        return "INTEGER";
    case CSV_REAL:
        return "REAL";
    case CSV_DATE:
        return "DATE_TEXT";
    case CSV_TIMESTAMP:
        return "TIMESTAMP_TEXT";
    default:
        return "TEXT";
    }
}

