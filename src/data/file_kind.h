/*
 * file_kind.h: what an existing file holds, told from its first bytes,
 * so that a writer never replaces a file of another kind without being
 * told to (issue 13): save would make a CSV a workspace, export would
 * make a workspace a CSV. save and export ask for replace=yes when
 * file_kind_sniff says so (commands/cmd_io.c).
 *
 * A workspace is an SQLite database: the file starts with the 16 bytes
 * "SQLite format 3\0" (SQLite's file format, section 1.3). quarry sets no
 * application id (header bytes 68-71), so a database whose id is set
 * belongs to another program (a GeoPackage, a Fossil repository, ...).
 * quarry's own tables (quarry_models, quarry_transforms) are made on
 * first use, so an SQLite file without them may still be a workspace:
 * they decide nothing.
 */
#ifndef QUARRY_FILE_KIND_H
#define QUARRY_FILE_KIND_H

enum file_kind {
    FILE_KIND_NONE,       /* nothing there (a dangling link included): nothing to lose */
    FILE_KIND_EMPTY,      /* a regular file of 0 bytes */
    FILE_KIND_WORKSPACE,  /* an SQLite database without an application id */
    FILE_KIND_DATABASE,   /* an SQLite database with another program's application id */
    FILE_KIND_OTHER,      /* a regular file that is not an SQLite database (text, CSV, ...) */
    FILE_KIND_UNREADABLE, /* a regular file quarry may not read: it could be anything */
    FILE_KIND_SPECIAL,    /* not a regular file (device, FIFO, folder): file_target.h decides */
};

/*
 * What path (its links followed) holds. Reads at most the first 100
 * bytes of a regular file and nothing else: a device or FIFO is never
 * opened. *app_id (may be NULL) gets the application id of a
 * FILE_KIND_DATABASE, else 0.
 */
enum file_kind file_kind_sniff(const char *path, unsigned *app_id);

/*
 * The kind as a phrase for messages, after "is": "a quarry workspace",
 * "an SQLite database of another program", "a file that is not an SQLite
 * database", ...
 */
const char *file_kind_phrase(enum file_kind k);

#endif
