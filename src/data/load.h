/*
 * load.h: load a CSV, TSV, ARFF or JSON file into a new catalog table, and
 * export a table to CSV, TSV, JSON or JSON Lines.
 *
 * Before a format reads it, a file that is gzip data (by its first bytes,
 * whatever its name) is decompressed, and text in another encoding
 * (load_opts.encoding, or UTF-16 with a byte order mark) is converted to
 * UTF-8; the result is then held in memory, within the same bound as a
 * pipe's (stream_bytes). JSON: an array of objects or JSON Lines, read
 * with SQLite's JSON functions; the columns are the union of the keys in
 * the order first seen, typed by the rules below (a JSON string as a CSV
 * field, true and false as 1 and 0, an integer wider than 64 bits as a
 * real, as SQLite reads it), nested objects and arrays kept as JSON text
 * (load_json.c).
 *
 * A regular file is read with pread, a piece at a time as the parser
 * reaches it, into an image whose pieces are given back once read (never
 * mapped: a mapped file that shrinks kills the process with SIGBUS); a
 * file that shrinks or changes while it loads is an error. A pipe or FIFO
 * (/dev/stdin) is read whole into memory first, up to a bound; devices
 * (/dev/zero) and sockets are refused. Column types are inferred over the
 * WHOLE file. CSV and TSV do it in one pass when they can: a sample of the file
 * gives a guess, the table is created with the guessed types, and the
 * insert pass checks every value against them while keeping the exact
 * types; if the exact types differ from the guess, the table is dropped
 * and filled again (so the progress callback may start over once). ARFF
 * files take two passes: infer, then insert. Rows go in through
 * load_insert_rows (below). CSV and TSV files of 1 MiB and more are
 * parsed on a second thread while SQLite inserts (load_int.h). Memory
 * beyond the catalog itself stays a few MB of the file's pieces (and the
 * longest record), with the second thread about 1.5 MB of parsed rows.
 * The progress callback is called by the clock (every 50 ms), also while
 * a FIFO is waited for or one record hundreds of MB long is read, so a
 * cancel arrives within about that.
 *
 * Column types (declared types as catalog.h describes; value rules in
 * csv.h): INTEGER when every value is an integer that fits int64, REAL
 * when every value is a number (infinities and 1e400 included), DATE_TEXT
 * when every value is an ISO date, TIMESTAMP_TEXT when every value is an
 * ISO date or timestamp, otherwise TEXT; a column with no values at all
 * is TEXT. A column of numbers one of which is an integer too wide for
 * int64 is TEXT too, every value kept as written (such ids would round to
 * one double), and the summary names it. Numbers are stored as numbers,
 * dates and timestamps as their text. NaN is missing, as in csv.h.
 *
 * Missing values: an empty unquoted field is NULL. A quoted empty field
 * "" and a field of only spaces are NULL in an INTEGER, REAL, DATE_TEXT
 * or TIMESTAMP_TEXT column and kept as text ('' or the spaces) in a TEXT
 * column, so export then load gives back empty strings and NULLs apart.
 * Blank lines are skipped. A UTF-8 byte order mark is skipped.
 *
 * Missing-value markers: in a column whose other values are numbers,
 * dates or timestamps, a value that is one of the markers (o->na, or
 * LOAD_NA_DEFAULT: NA, N/A, n/a, nan, NaN, NULL, null, -, ?, as pandas
 * and Weka write them; spaces around it ignored) is NULL, and the summary
 * says how many there were. A TEXT column keeps them as text. o->na ""
 * leaves only empty fields (and NaN, which SQLite cannot hold) missing.
 *
 * header = -1 (auto): each column whose remaining records are numbers
 * (or dates) votes on the first record's value in it: text there says
 * "header", a value of the column's type says "data"; empty values and
 * markers do not vote. The first record is a header when
 *   (1) "names over numbers": some column votes header and no more vote
 *       data; or
 *   (2) "years": its numbers are two or more consecutive years
 *       (1000-2999) in columns of numbers, and its other values are
 *       non-empty text (World Bank files: Country Name,...,1960,1961); or
 *   (3) "names": no column votes, its values are text (some may be
 *       empty), and none of them appears again in its column (this
 *       includes a file of one record).
 * The summary says which rule decided, or why it is not a header.
 *
 * Dialect (CSV and TSV):
 *   - o->skip_lines lines are skipped first (a title or notes above the
 *     table); line numbers in messages still count from the file's start;
 *   - o->delim 0 for CSV: the delimiter is sniffed from the first records
 *     (up to LOAD_SNIFF_BYTES): of ',', tab, ';' and '|' the one for which
 *     the most records have the same field count, more than one (ties go
 *     in that order); ',' when none splits the records; with decimal ','
 *     the comma is not a candidate;
 *   - when every record ends in an empty unquoted field (each line ends in
 *     the delimiter; the first line may lack it), that field is dropped;
 *   - o->decimal ',': a value that is not a number as written but is one
 *     with its one ',' read as '.' (1,50) is that number; values without
 *     a comma read as usual;
 *   - o->pad_short: a record with fewer fields than the first is padded
 *     with NULLs, and the summary counts them; too many is still bad.
 * A record of the wrong width is reported with the option that fits what
 * the first records show: skip=N when the first lines have another width
 * than the rows after them (a title), delim= when another delimiter
 * splits every record evenly, onerror=pad for a short record.
 *
 * Header names are trimmed; an empty name becomes colN (N counts from 1);
 * a name equal to an earlier one (ignoring case) gets _2, _3, ..., and the
 * summary says which were renamed. Without a header the columns are
 * col1..colN.
 *
 * ARFF (Weka): @relation, @attribute NAME TYPE with numeric, real, integer,
 * string, date [PATTERN] and nominal {a,b,...}; @data rows dense or sparse
 * ({index value, ...}); '?' is missing; % starts a comment; keywords are
 * case-insensitive; names and values may be quoted with ' or " (backslash
 * escapes inside). Nominal and string attributes are TEXT columns;
 * numeric ones INTEGER if every value is an integer, else REAL; dates are
 * converted from their Java-style pattern to ISO 8601 text (DATE_TEXT if
 * the pattern has no time fields, else TIMESTAMP_TEXT). Sparse rows follow
 * Weka: an omitted value is 0, i.e. 0 for numbers, the first value of a
 * nominal attribute, 1970-01-01T00:00:00 for dates, '' for strings.
 *
 * Errors: QE_NOTFOUND for a missing file; QE_IO for one that cannot be
 * read (a folder, a device, permissions) or that changed while it was
 * loading; QE_DATA for an empty file, a stream over its bound, more
 * columns than a table holds (2000), a bad record
 * ("'orders.csv' line 17: 4 fields, expected 5; ..."), invalid UTF-8, NUL
 * bytes, an unterminated quote, a bad ARFF header, invalid JSON (with its
 * line and column), gzip data that is damaged, cut short or over the
 * bound, a byte not of the encoding; QE_ARG for a table that
 * already exists or bad options; QE_SQL when SQLite refuses; QE_INTERRUPT
 * when the progress callback cancels. With skip_bad, bad records are
 * skipped and counted instead (a broken header or ARFF declaration is
 * still an error).
 *
 * Transactions: the caller holds a SAVEPOINT and rolls back on error;
 * these functions never BEGIN, COMMIT or open savepoints.
 */
#ifndef QUARRY_LOAD_H
#define QUARRY_LOAD_H

#include <sqlite3.h>

#include "data/arff.h"
#include "base/buf.h"
#include "data/catalog.h"
#include "data/csv.h"
#include "base/qerr.h"

struct frame;

/* The missing-value markers of load_opts.na NULL (see above). */
#define LOAD_NA_DEFAULT "NA,N/A,n/a,nan,NaN,NULL,null,-,?"
/* The delimiter is sniffed from at most this many bytes of the file's start. */
#define LOAD_SNIFF_BYTES (64 << 10)

/* load reads LOAD_JSON (an array of objects or JSON Lines); LOAD_JSONL is export only. */
enum load_format { LOAD_AUTO, LOAD_CSV, LOAD_TSV, LOAD_ARFF, LOAD_JSON, LOAD_JSONL };

/*
 * The text encoding of a file to load (load_decode.c). LOAD_ENC_UTF8 is
 * the default: the bytes are taken as UTF-8, except that a file that
 * starts with a UTF-16 byte order mark is converted from UTF-16 anyway.
 * The others are converted to UTF-8 (iconv) before they are parsed:
 * LATIN1 is ISO-8859-1 (every byte a character), CP1252 Windows-1252
 * (Latin-1 with 0x80-0x9f as punctuation and the euro sign; the five
 * bytes it leaves undefined are an error), UTF16 takes the byte order
 * from the byte order mark, or without one from where the zero bytes of
 * ASCII text fall.
 */
enum load_encoding { LOAD_ENC_UTF8, LOAD_ENC_LATIN1, LOAD_ENC_CP1252, LOAD_ENC_UTF16 };

struct load_opts {
    const char *path;         /* file to read */
    const char *table;        /* table to create (must not exist); NULL: load_default_name */
    enum load_format format;  /* LOAD_AUTO: load_format_from_path */
    int header;               /* -1 auto (see above), 0 no, 1 yes; CSV and TSV only */
    char delim;               /* 0: sniffed for CSV ("Dialect"), '\t' for TSV; not '"', CR, LF */
    int skip_bad;             /* skip bad records and count them instead of failing */
    /* CSV and TSV dialect (see "Dialect" above) */
    int skip_lines;           /* lines (ending in LF) skipped before the first record */
    const char *na;           /* missing-value markers, comma-separated; NULL: LOAD_NA_DEFAULT */
    char decimal;             /* 0 or '.'; ',': a number may be written 1,50 */
    int pad_short;            /* a record with too few fields gets NULLs instead of failing */
    /* Called now and then with the fraction done (0..1); nonzero cancels. May be NULL. */
    int (*progress)(void *ctx, double fraction);
    void *progress_ctx;
    /*
     * CSV/TSV: also keep the numeric columns' values as doubles (NaN for
     * missing) in r->num, up to this many bytes in all (0: never), so the
     * caller can hand them to the frame cache without reading them back.
     */
    size_t capture_bytes;
    /*
     * A pipe or FIFO (or a file that says its size is 0) is read whole
     * into memory before it is parsed: at most this many bytes (0: 1 GiB);
     * more is an error.
     */
    size_t stream_bytes;
    /*
     * For tests: CSV/TSV rows are parsed on a second thread, in batches of
     * this many rows, whatever the file's size; -1 never; 0 (the default)
     * on a second thread for files of 1 MiB and more (load_int.h).
     */
    int batch_rows;
    enum load_encoding encoding; /* see above; 0 (UTF-8) by default */
    /*
     * Make the table a column table (data/coltab.h; the "columns" module
     * must be registered on db): the rows go straight into its column
     * arrays, with the same declared types and values as an ordinary
     * table would get. 0: an ordinary table.
     */
    int columns;
};

struct load_result {
    long long n_rows;     /* rows inserted */
    int n_cols;
    long long n_skipped;  /* bad records skipped (skip_bad) */
    struct buf skipped;   /* the first 5 skipped records, one "line N: reason\n" each */
    struct buf summary;   /* notes for the user, one per line ("header: yes (auto)", ...) */
    /*
     * With o->capture_bytes: per column, the n_rows values of an INTEGER or
     * REAL column in row order, or NULL; num itself NULL when nothing was
     * kept (over the limit, ARFF). names and decl give each column's name
     * and declared kind. Freed by load_result_release unless taken.
     */
    double **num;
    /*
     * The kept columns sit in one frame block, the k-th at num_block + k *
     * num_ld, for frame_cache_adopt, which takes it (set num_block to
     * NULL then); load_result_release frees it otherwise.
     */
    double *num_block;
    long long num_ld;
    char **names;
    enum catalog_kind *decl;
    /*
     * ARFF with o->capture_bytes: every column as frame_read would read
     * the table, for frame_cache_adopt_frame (set it NULL then); NULL when
     * not kept (a string or date attribute, over the limit). Released by
     * load_result_release otherwise.
     */
    struct frame *frame;
};

/* Defaults: everything 0 or NULL, header -1 (auto). */
void load_opts_init(struct load_opts *o);
void load_result_init(struct load_result *r);
void load_result_release(struct load_result *r);

/*
 * Load o->path into a new table o->table of db, as described above, and
 * fill r (which the caller has initialised) with what happened. Returns 0,
 * or -1 with err set; then the table may be half made and the caller must
 * roll back its savepoint.
 */
int load_file(sqlite3 *db, const struct load_opts *o, struct load_result *r, struct qerr *err);

/*
 * The default table name for a file: its name without folder and last
 * extension (and a ".gz" after it: x.csv.gz makes x), lower-cased, with
 * every byte outside [a-z0-9_] made '_'; a name that starts with a digit,
 * or with "sqlite_" or "quarry_" (reserved prefixes), gets "t_" in front;
 * an empty one becomes "data"; one that SQLite cannot take as a table
 * name without quotes (an SQL keyword such as select, order or group:
 * load_name_reserved) gets '_' after it, so that a plain SELECT ... FROM
 * select_ works. The caller frees the result.
 */
char *load_default_name(const char *path);
/* load_default_name; *renamed (may be NULL) says whether a keyword got its '_'. */
char *load_table_name(const char *path, int *renamed);
/* 1 when name is an SQL keyword that SQLite refuses as an unquoted table name. */
int load_name_reserved(const char *name);

/*
 * LOAD_TSV for .tsv or .tab, LOAD_ARFF for .arff, LOAD_JSON for .json,
 * .jsonl or .ndjson, else LOAD_CSV (any case; a last .gz is looked
 * through: x.tsv.gz is TSV).
 */
enum load_format load_format_from_path(const char *path);

/*
 * A source of rows for load_insert_rows. next(ctx) makes the next row
 * current and returns 1, returns 0 at the end, or sets the qerr given to
 * load_insert_rows and returns -1. column(ctx, sc, i) sets value i of the
 * current row with sqlite3_result_*(sc, ...); text or blobs passed as
 * SQLITE_STATIC must stay valid until load_insert_rows returns (else use
 * SQLITE_TRANSIENT). column may fail with sqlite3_result_error after
 * setting the qerr.
 */
struct load_rows {
    int n_cols;       /* values per row: the table's column count */
    long long n_hint; /* rows expected, for the planner; 0 if unknown */
    void *ctx;
    int (*next)(void *ctx);
    void (*column)(void *ctx, sqlite3_context *sc, int i);
};

/*
 * Append every row of src to the existing table, in order, as fast as
 * SQLite allows: one INSERT INTO table SELECT * FROM quarry_load_rows,
 * an eponymous virtual table (row_source.h) registered on db for the
 * duration of the call and removed before it returns. Values are stored with the table's
 * column affinities. Returns 0, or -1 with err set (QE_SQL, or whatever
 * src set).
 */
int load_insert_rows(sqlite3 *db, const char *table, struct load_rows *src, struct qerr *err);

/*
 * Write table to path (fmt LOAD_AUTO: load_export_format; ARFF is refused
 * with QE_ARG), every row in rowid order, as
 * - CSV or TSV: a header row with the column names, then the rows. NULL
 *   is an empty field, '' is "", a REAL is written as its shortest
 *   round-trip form with ".0" when integral (infinities as inf and -inf,
 *   which load reads back as REAL). Fields are quoted only when
 *   needed (RFC 4180).
 * - JSON: an array of objects, one a row, keyed by column name in column
 *   order ("[{"a": 1, "b": "x"},\n {...}]\n"; "[]\n" for no rows).
 * - JSON Lines: the same objects, one a line, nothing around them.
 *   In both, an INTEGER is a JSON number, a REAL too in its shortest
 *   round-trip form; NULL, infinities and NaN are null (JSON has no
 *   infinity); text is a JSON string: quote, backslash and control bytes
 *   escaped (a NUL as \u0000), each byte that is not valid UTF-8 replaced
 *   by U+FFFD; the choices of --format json (ui/render.c).
 * A BLOB is refused (QE_DATA). The file is written to a temporary name in
 * the same folder and renamed over path on success, so path is never half
 * written (file_target.h; /dev/stdout, a FIFO or a device is written in
 * place). *n_rows (may be NULL) gets the rows written. Errors: QE_NOTFOUND
 * for a missing table, QE_ARG, QE_IO, QE_DATA. Whether path may be
 * replaced at all is the caller's question (file_kind.h).
 */
int load_export(sqlite3 *db, const char *table, const char *path, enum load_format fmt,
                long long *n_rows, struct qerr *err);

/*
 * load_export's formatting of table without a file: each block of about
 * a MiB of fmt (LOAD_AUTO: CSV; CSV keeps its header row) goes to
 * put(arg, data, len, err), whose -1 (err set) stops it (export to
 * PostgreSQL by COPY ... CSV, remote/copy_out.h). Errors as load_export's.
 */
int load_export_rows(sqlite3 *db, const char *table, enum load_format fmt,
                     int (*put)(void *arg, const char *data, size_t len, struct qerr *err),
                     void *arg, long long *n_rows, struct qerr *err);

/*
 * The format export writes to path, from its extension (any case): .csv,
 * or none at all (/dev/stdout, a FIFO), is CSV; .tsv and .tab TSV; .json
 * JSON; .jsonl and .ndjson JSON Lines. Any other extension (.parquet,
 * .xlsx, .txt, .gz, .arff) is refused with QE_ARG, the list of what export
 * writes, and a hint naming format= as the way to write one anyway.
 */
int load_export_format(const char *path, enum load_format *fmt, struct qerr *err);

#endif
