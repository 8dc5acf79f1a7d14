/*
 * arff_date.c: ARFF date attributes (arff.h): a Java SimpleDateFormat
 * pattern compiled once into struct arff_date_part pieces, and values
 * matched against it and written as ISO 8601 text.
 */
#include "data/arff.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

static void
add_part(struct arff_attr *a, char letter, int width, const char *text, size_t len)
{
    a->parts = xrealloc(a->parts, (size_t)(a->n_parts + 1) * sizeof(*a->parts));
    struct arff_date_part *pt = &a->parts[a->n_parts++];
    pt->letter = letter;
    pt->width = width;
    pt->text = letter ? NULL : xstrndup(text, len);
}

int
arff_date_compile(struct arff_attr *a, const char *pat, char *bad)
{
    struct buf lit = BUF_INIT;
    const char *p = pat;

    while (*p) {
        char ch = *p;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
            if (!strchr("yMdHkKhamsSEZX", ch)) {
                *bad = ch;
                buf_release(&lit);
                return -1;
            }
            if (lit.len) {
                add_part(a, 0, 0, lit.data, lit.len);
                buf_reset(&lit);
            }
            int w = 0;
            while (p[w] == ch)
                w++;
            add_part(a, ch, w, NULL, 0);
            if (strchr("HkKhamsSZX", ch))
                a->has_time = 1;
            p += w;
        } else if (ch == '\'') {
            p++;
            if (*p == '\'') { /* '' is one quote */
                buf_addc(&lit, '\'');
                p++;
                continue;
            }
            while (*p && !(*p == '\'' && p[1] != '\'')) {
                if (*p == '\'')
                    p++;
                buf_addc(&lit, *p++);
            }
            if (*p)
                p++;
        } else {
            buf_addc(&lit, ch);
            p++;
        }
    }
    if (lit.len)
        add_part(a, 0, 0, lit.data, lit.len);
    buf_release(&lit);
    a->kind = a->has_time ? CSV_TIMESTAMP : CSV_DATE;
    return 0;
}

/* A part that reads digits. */
static int
is_num_part(const struct arff_date_part *pt)
{
    return (pt->letter && strchr("ydHkKhmsS", pt->letter)) ||
           (pt->letter == 'M' && pt->width < 3);
}

/* Read 1..max digits at *pp (< e) into *v. */
static int
read_num(const char **pp, const char *e, int min, int max, int *v)
{
    const char *p = *pp;
    int n = 0, x = 0;
    while (p < e && n < max && *p >= '0' && *p <= '9') {
        x = x * 10 + (*p++ - '0');
        n++;
    }
    if (n < min)
        return -1;
    *pp = p;
    *v = x;
    return 0;
}

/* Parse a zone: Z, +hh, +hhmm or +hh:mm, into minutes east. */
static int
read_zone(const char **pp, const char *e, int *minutes, int *utc)
{
    const char *p = *pp;
    int h, m = 0;
    *utc = 0;
    if (p < e && *p == 'Z') {
        *pp = p + 1;
        *minutes = 0;
        *utc = 1;
        return 0;
    }
    if (p == e || (*p != '+' && *p != '-'))
        return -1;
    int neg = *p++ == '-';
    if (read_num(&p, e, 2, 2, &h) < 0 || h > 23)
        return -1;
    if (p < e && *p == ':')
        p++;
    if (p < e && *p >= '0' && *p <= '9' && (read_num(&p, e, 2, 2, &m) < 0 || m > 59))
        return -1;
    *minutes = (neg ? -1 : 1) * (h * 60 + m);
    *pp = p;
    return 0;
}

int
arff_date_convert(const struct arff_attr *a, const char *s, size_t len, struct buf *out)
{
    const char *p = s, *e = s + len;
    int y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0, pm = -1;
    int zone = 0, has_zone = 0, utc = 0, has_ms = 0;
    char hour_letter = 'H';

    for (int k = 0; k < a->n_parts; k++) {
        const struct arff_date_part *pt = &a->parts[k];
        int fixed = k + 1 < a->n_parts && is_num_part(pt) && is_num_part(&a->parts[k + 1]);
        int v = 0, w = fixed || (pt->letter == 'y' && pt->width == 2) ? pt->width : 9;
        int minw = fixed ? pt->width : 1;

        switch (pt->letter) {
        case 0: {
            size_t n = strlen(pt->text);
            if ((size_t)(e - p) < n || memcmp(p, pt->text, n) != 0)
                return -1;
            p += n;
            continue;
        }
        case 'M':
            if (pt->width >= 3) {
                int found = 0;
                for (int m = 0; m < 12 && !found; m++) {
                    size_t n = strlen(month_names[m]);
                    if ((size_t)(e - p) >= n && strncasecmp(p, month_names[m], n) == 0) {
                        p += n;
                        found = mo = m + 1;
                    } else if (e - p >= 3 && strncasecmp(p, month_names[m], 3) == 0) {
                        p += 3;
                        found = mo = m + 1;
                    }
                }
                if (!found)
                    return -1;
                continue;
            }
            break;
        case 'E':
            if (p == e)
                return -1;
            while (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
                p++;
            continue;
        case 'a':
            if (e - p < 2 || (p[1] != 'M' && p[1] != 'm'))
                return -1;
            if (*p == 'A' || *p == 'a')
                pm = 0;
            else if (*p == 'P' || *p == 'p')
                pm = 1;
            else
                return -1;
            p += 2;
            continue;
        case 'Z':
        case 'X':
            if (read_zone(&p, e, &zone, &utc) < 0)
                return -1;
            has_zone = 1;
            continue;
        default:
            break;
        }
        if (read_num(&p, e, minw, w, &v) < 0)
            return -1;
        switch (pt->letter) {
        case 'y':
            y = pt->width == 2 ? (v < 50 ? 2000 + v : 1900 + v) : v;
            break;
        case 'M':
            mo = v;
            break;
        case 'd':
            d = v;
            break;
        case 'H':
        case 'k':
        case 'K':
        case 'h':
            h = v;
            hour_letter = pt->letter;
            break;
        case 'm':
            mi = v;
            break;
        case 's':
            sec = v;
            break;
        case 'S':
            ms = v;
            has_ms = 1;
            break;
        }
    }
    if (p != e)
        return -1;
    if (hour_letter == 'k') {
        if (h < 1 || h > 24)
            return -1;
        h %= 24;
    } else if (hour_letter == 'h' || hour_letter == 'K') {
        if (hour_letter == 'h' ? (h < 1 || h > 12) : h > 11)
            return -1;
        h = (h % 12) + (pm == 1 ? 12 : 0);
    }
    if (y > 9999 || mo < 1 || mo > 12 || d < 1 || d > csv_days_in_month(y, mo) || h > 23 ||
        mi > 59 || sec > 59 || ms > 999)
        return -1;
    buf_addf(out, "%04d-%02d-%02d", y, mo, d);
    if (!a->has_time)
        return 0;
    buf_addf(out, "T%02d:%02d:%02d", h, mi, sec);
    if (has_ms)
        buf_addf(out, ".%03d", ms);
    if (has_zone && utc)
        buf_addc(out, 'Z');
    else if (has_zone)
        buf_addf(out, "%c%02d:%02d", zone < 0 ? '-' : '+', abs(zone) / 60, abs(zone) % 60);
    return 0;
}

