/*
 * arff.h: Weka's ARFF format read from bytes in memory: the header
 * (@relation, @attribute, @data) and the data rows, dense or sparse.
 *
 * What is read (keywords case-insensitive, % starts a comment outside
 * quotes, names and values may be quoted with ' or " and use backslash
 * escapes \\ \' \" \n \t \r inside quotes):
 *   @relation NAME
 *   @attribute NAME numeric | real | integer | string | date [PATTERN] | {v1, v2, ...}
 *   @data
 *   v1, v2, ...              a dense row; '?' is missing
 *   {i v, j v, ...}          a sparse row: omitted values are 0 (Weka's
 *                            rule): 0, the first nominal value,
 *                            1970-01-01T00:00:00, or '' for strings
 * A trailing instance weight ", {w}" is read and ignored. Relational
 * attributes are refused.
 *
 * Date patterns are Java SimpleDateFormat's: y, M (MMM/MMMM for English
 * month names), d, H, k, K, h, a, m, s, S, E (a day name, skipped), Z
 * (+hhmm), X (Z, +hh, +hhmm or +hh:mm), 'quoted text' and other
 * punctuation taken literally; the default is yyyy-MM-dd'T'HH:mm:ss. A
 * two-digit year yy means 2000-2049 for 00-49 and 1950-1999 for 50-99.
 * Values are converted to ISO 8601: YYYY-MM-DD when the pattern has no
 * time fields, else YYYY-MM-DDThh:mm:ss[.fff][Z|+hh:mm].
 */
#ifndef QUARRY_ARFF_H
#define QUARRY_ARFF_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "data/csv.h"
#include "base/qerr.h"

enum arff_type { ARFF_NUMERIC, ARFF_NOMINAL, ARFF_STRING, ARFF_DATE };

/* One compiled piece of a date pattern: a field letter and its width, or literal text. */
struct arff_date_part {
    char letter;    /* 'y', 'M', ...; 0 for literal text */
    int width;      /* letters in a row */
    char *text;     /* the literal text (letter 0), malloc'd */
};

struct arff_attr {
    char *name;              /* malloc'd */
    enum arff_type type;
    char **values;           /* nominal values, malloc'd each */
    size_t *value_lens;
    int n_values;
    int *slots;              /* a hash table of the values when there are many, or NULL */
    size_t n_slots;
    struct arff_date_part *parts; /* compiled date pattern */
    int n_parts;
    int has_time;            /* the pattern has hour, minute, second or zone fields */
    enum csv_kind kind;      /* CSV_DATE or CSV_TIMESTAMP for dates, else CSV_NULL */
    /*
     * A numeric attribute read as text, each value as it is written (the
     * loader sets it when a value is too wide for int64): a value that is
     * not a number is still a bad row, nan still missing.
     */
    int as_text;
};

struct arff_header {
    char *relation;          /* malloc'd, or NULL */
    struct arff_attr *attrs;
    int n_attrs;
    size_t data_offset;      /* first byte after the @data line */
    long long data_line;     /* the line number of that byte */
};

/*
 * Compile a date pattern (Java's, as above) into a->parts, a->has_time
 * and a->kind. 0, or -1 with the unsupported letter in *bad.
 */
int arff_date_compile(struct arff_attr *a, const char *pat, char *bad);
/*
 * Match the len bytes at s against a's compiled pattern and append the
 * ISO 8601 text to out. 0, or -1 when they do not match or are not a
 * real date and time (then out may hold part of it).
 */
int arff_date_convert(const struct arff_attr *a, const char *s, size_t len, struct buf *out);

/*
 * Parse the header of the size bytes at data (data[size] must be '\0');
 * fill (may be NULL) says where bytes not read yet come from, as for
 * csv.h's reader: a zero byte met before the end goes to fill->more. name
 * is the file name used in error messages. Fills h (release it with
 * arff_header_release even on failure). Errors (QE_DATA) name the line:
 * unknown types, bad date patterns, a missing @data.
 */
int arff_header_parse(struct arff_header *h, const char *data, size_t size,
                      const struct csv_fill *fill, const char *name, struct qerr *err);
void arff_header_release(struct arff_header *h);

/*
 * One value of a row. kind is CSV_NULL (missing), CSV_INT (i), CSV_REAL
 * (d), or CSV_TEXT / CSV_DATE / CSV_TIMESTAMP with text in s/len: a span
 * of the input, of a nominal value in the header, or of the reader's
 * scratch buffer (scratch = 1), valid until the next arff_read.
 */
struct arff_value {
    enum csv_kind kind;
    long long i;
    double d;
    const char *s;
    size_t len;
    int scratch;
    int code;         /* a nominal value (CSV_TEXT): its index among the attribute's values */
};

struct arff_reader {
    const struct arff_header *h;
    const char *p, *end;     /* end moves back if fill.more fails */
    struct csv_fill fill;    /* set after arff_reader_init, as for csv_reader */
    long long line;          /* line number of p */
    long long row_line;      /* line of the current row */
    struct arff_value *vals; /* h->n_attrs values of the current row */
    int bad;                 /* the current row is bad: why says why */
    int has_scratch;         /* some value of the current row is text in scratch */
    struct buf why;
    int saw_weight;          /* some row had an instance weight (ignored) */
    struct buf scratch;
    struct buf tok;          /* the value being read (kept across rows: no allocation each) */
    /*
     * NULL, or where each nominal attribute's value goes as its index
     * among the attribute's values (-1 missing; a sparse row's omitted
     * value 0): then vals[i] of a nominal attribute may be left as it was
     * (set it again before each arff_read: a row's codes, h->n_attrs of
     * them; the entries of other attributes are not defined). A loader
     * keeping codes needs no copy out of vals.
     */
    int32_t *codes;
    int *nominal_run; /* per attribute: nominal attributes from it on, itself included */
};

/* Start reading rows at h->data_offset of data (the same bytes the header came from). */
void arff_reader_init(struct arff_reader *r, const struct arff_header *h, const char *data,
                      size_t size);
void arff_reader_release(struct arff_reader *r);
/*
 * Read the next row into r->vals. Returns 1 for a row (if r->bad, its
 * values are unusable and r->why holds the reason, e.g. "3 values,
 * expected 5") or 0 at the end.
 */
int arff_read(struct arff_reader *r);

#endif
