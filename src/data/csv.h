/*
 * csv.h: RFC 4180 records read from bytes in memory, the rules that turn a
 * text value into a typed one (shared by every loader), and the quoting
 * and number formatting that export writes.
 *
 * The reader never copies: a record is an array of struct csv_field, each
 * a span of the input. It finds field ends 64 bytes at a time (SSE2 where
 * the compiler offers it, plain C otherwise): a bit per byte that could
 * end a run (delimiter, quote, control byte, non-ASCII byte), then one
 * count-trailing-zeros per field.
 *
 * Reading rules:
 *   - fields are separated by one delimiter byte; records end at LF, CRLF
 *     or a lone CR; the last record may lack a line end;
 *   - a field that starts with '"' is quoted: it runs to the next lone
 *     '"', may hold delimiters, line ends and doubled quotes ("" = ");
 *     spaces and tabs between the closing quote and the delimiter are
 *     ignored, anything else there makes the record bad;
 *   - a '"' inside an unquoted field is taken literally;
 *   - blank lines (nothing between two line ends) are skipped;
 *   - a record holding a NUL byte, invalid UTF-8 or an unterminated quote
 *     is still returned, whole, with csv_reader.bad saying why, so the
 *     caller can skip it and read on.
 *
 * Input read in pieces: the bytes may also be a file's image that is
 * filled as it is read (load_int.h's struct load_image): a part not read
 * yet holds zeros. Every zero byte the reader meets before the end, it
 * first hands to csv_fill.more (when set), which reads that part of the
 * file; since a zero is a special byte to the scanner, this costs nothing
 * on ordinary bytes.
 */
#ifndef QUARRY_CSV_H
#define QUARRY_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * The type of one value, and the inferred type of a column, from the
 * narrowest up. Value rules (csv_classify):
 *   CSV_INT        [+-]digits fitting int64 (-2^63 .. 2^63-1), no leading
 *                  zero ("007" is text: codes and zip codes keep their
 *                  zeros); "-0" is 0;
 *   CSV_REAL       [+-](digits[.digits]|.digits)[(e|E)[+-]digits], same
 *                  leading-zero rule, rounded as strtod does: beyond the
 *                  range of doubles that is +-inf (1e400) or 0 (1e-400);
 *                  also the infinities [+-]inf and [+-]infinity in any
 *                  case (what export writes for them);
 *   CSV_DATE       YYYY-MM-DD, a real calendar day;
 *   CSV_TIMESTAMP  YYYY-MM-DD[T ]hh:mm[:ss[.f...]][Z|+hh:mm|-hh:mm];
 *   CSV_BIGINT     [+-]digits too wide for int64 (2^63, 20-digit ids): a
 *                  double would round them, so distinct ids became equal;
 *                  a column with one is kept as text (declared TEXT);
 *   CSV_TEXT       anything else: hex (0x10), 1,5, 12abc.
 * Numbers may have spaces or tabs around them; dates may not. An empty
 * value, one of only spaces and tabs, or [+-]nan in any case (SQLite has
 * no NaN: it stores one as NULL) is CSV_NULL.
 */
enum csv_kind { CSV_NULL, CSV_INT, CSV_REAL, CSV_DATE, CSV_TIMESTAMP, CSV_BIGINT, CSV_TEXT };

/* One field of a record: a span of the input, never NUL-terminated. */
struct csv_field {
    const char *p;      /* first byte of the value (inside the quotes) */
    size_t len;         /* bytes of the value, doubled quotes still doubled */
    unsigned char quoted;  /* the field was written in quotes */
    unsigned char escaped; /* it holds doubled quotes: see csv_unescape */
};

/*
 * Where the bytes of the input come from when they are read in pieces
 * (see above). more(ctx, p, n) makes the n bytes at p (inside the input)
 * hold the file's content: it returns 1 when it read some of them (they
 * were zeros until now), 0 when they were there already (so a zero at p
 * is a NUL of the data), or -1 when they cannot be had (the file shrank,
 * a read failed, the load was cancelled): the input then ends at p.
 * more NULL: the input is all in memory.
 */
struct csv_fill {
    int (*more)(void *ctx, const char *p, size_t n);
    void *ctx;
};

/* Why a record is bad; CSV_BAD_NONE for a good one. */
enum csv_bad {
    CSV_BAD_NONE,
    CSV_BAD_NUL,         /* a NUL byte */
    CSV_BAD_UTF8,        /* bytes that are not UTF-8 */
    CSV_BAD_UNTERMINATED, /* a quoted field runs to the end of the input */
    CSV_BAD_AFTER_QUOTE, /* text between a closing quote and the delimiter */
};

struct csv_reader {
    const char *p;        /* next byte to read */
    const char *end;      /* end of the input; *end is '\0' (moves back if fill.more fails) */
    struct csv_fill fill; /* set after csv_reader_init when the input is read in pieces */
    const char *rec;      /* first byte of the current record */
    long long line;       /* line number (from 1) of p */
    long long rec_line;   /* line where the current record starts */
    struct csv_field *fields; /* the current record's fields */
    int n_fields;
    int cap_fields;
    enum csv_bad bad;     /* the first problem in the current record */
    int bad_field;        /* its field (from 1) */
    long long bad_line;   /* its line */
    unsigned char bad_byte; /* the offending byte for NUL and UTF-8 */
    char delim;
    int runs;             /* CSV_DELIM_RUNS: fields end at runs of spaces and tabs */
    const char *base;     /* the input's first byte */
    size_t win;           /* offset from base of the 64-byte scan window */
    uint64_t bits;        /* bit i: byte win + i may end a run */
};

/*
 * The delimiter value for fields separated by runs of spaces and tabs,
 * with none counted at a line's start or end (pandas' sep='\s+'): a
 * vertical tab, which no table is written with.
 */
#define CSV_DELIM_RUNS '\v'

/*
 * Start reading size bytes at data with the given delimiter (not '"',
 * CR, LF or NUL). data[size] must be readable and '\0': the scanner
 * uses it as a sentinel. The reader borrows data.
 */
void csv_reader_init(struct csv_reader *r, const char *data, size_t size, char delim);
/* Free the field array. */
void csv_reader_release(struct csv_reader *r);
/* Go back to position p (a record start from r->rec or r->p) at line. */
void csv_reader_seek(struct csv_reader *r, const char *p, long long line);
/*
 * Read the next record into r->fields / r->n_fields, skipping blank
 * lines. Returns 1 for a record (check r->bad) or 0 at the end.
 */
int csv_read(struct csv_reader *r);

/* The kind of the len bytes at p; len 0 is CSV_NULL. */
enum csv_kind csv_classify(const char *p, size_t len);
/*
 * Widen a column's kind by one value's kind: numbers mix to CSV_REAL, or
 * to CSV_BIGINT when one is, dates and timestamps to CSV_TIMESTAMP,
 * anything else to CSV_TEXT; CSV_NULL changes nothing.
 */
enum csv_kind csv_kind_merge(enum csv_kind col, enum csv_kind val);
/* The declared SQL type of a column kind (CSV_NULL and CSV_BIGINT declare TEXT). */
const char *csv_kind_decl(enum csv_kind kind);

/*
 * Parse an integer by the CSV_INT rule into *out. 0 on success, -1 if
 * the bytes are not one (then *out is unchanged).
 */
int csv_parse_int(const char *p, size_t len, long long *out);
/*
 * Parse a number by the CSV_INT, CSV_REAL or CSV_BIGINT rule into *out,
 * rounded correctly (the same double strtod gives: +-inf beyond the
 * range of doubles), or an infinity. 0 on success, -1 if the bytes are
 * not a number (nan is not).
 */
int csv_parse_real(const char *p, size_t len, double *out);
/* A converted value: i for CSV_INT, d for CSV_REAL. */
struct csv_value {
    long long i;
    double d;
};

/*
 * Convert the len bytes at p for a column declared col, in one step:
 *   col CSV_INT: CSV_INT with v->i when the bytes are an integer;
 *   col CSV_REAL: CSV_INT, CSV_REAL or CSV_BIGINT (which the bytes are)
 *     with v->d when they are a number;
 *   col CSV_DATE / CSV_TIMESTAMP: the bytes' kind when it fits the column;
 * otherwise (and for any other col) csv_classify's answer, so the result
 * fits col exactly when csv_kind_merge(col, result) == col.
 */
enum csv_kind csv_convert(const char *p, size_t len, enum csv_kind col, struct csv_value *v);
/* CSV_DATE, CSV_TIMESTAMP, or CSV_TEXT if the bytes are neither. */
enum csv_kind csv_date_kind(const char *p, size_t len);
/* Days in month (1-12) of year, leap years included. */
int csv_days_in_month(int year, int month);

/* Append the value of a field to b, with doubled quotes made single. */
void csv_unescape(struct buf *b, const struct csv_field *f);
/* Validate one UTF-8 sequence at p (< end): its length 1-4, or 0 if bad. */
int csv_utf8_len(const unsigned char *p, const unsigned char *end);

/*
 * Append a field for a file with the given delimiter: as is, or in
 * quotes with quotes doubled when it holds the delimiter, a quote, CR or
 * LF, or when force_quote is set (export quotes empty strings, so that
 * they read back as '' rather than NULL).
 */
void csv_write_field(struct buf *b, const char *s, size_t len, char delim, int force_quote);

#endif
