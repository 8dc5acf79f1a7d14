/*
 * test_file_kind.c: file_kind_sniff tells what a file quarry would write
 * over holds (file_kind.h), from files made here whose kind is known:
 *
 *   1. nothing there, a dangling link, a name under a missing folder: NONE
 *   2. a file of 0 bytes: EMPTY
 *   3. CSV text, and a file that starts like SQLite's header but differs
 *      in its 16th byte: OTHER; a link to the CSV: OTHER (followed)
 *   4. a database SQLite wrote (a table, application id 0): WORKSPACE;
 *      one whose application id is set (PRAGMA application_id, as a
 *      GeoPackage's 'GPKG' is): DATABASE, with that id
 *   5. a folder, /dev/null and a FIFO: SPECIAL, and the FIFO is not
 *      opened (no writer: an open would block without O_NONBLOCK)
 *   6. a file that may not be read (as a user other than root): UNREADABLE
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "data/file_kind.h"

static char dir[64];

static const char *
at(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void
write_file(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(at(name), "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        perror(name);
        exit(2);
    }
    fclose(f);
}

static void
make_db(const char *name, const char *sql)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(at(name), &db) != SQLITE_OK ||
        sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "make_db %s: %s\n", name, sqlite3_errmsg(db));
        exit(2);
    }
    sqlite3_close(db);
}

static enum file_kind
kind(const char *name, unsigned *id)
{
    return file_kind_sniff(at(name), id);
}

int
main(void)
{
    unsigned id = 99;
    snprintf(dir, sizeof dir, "/tmp/quarry_kind_XXXXXX");
    if (!mkdtemp(dir))
        return 2;

    /* 1 */
    CHECK_INT(kind("none", &id), FILE_KIND_NONE);
    CHECK_INT(id, 0);
    CHECK_INT(symlink("gone", at("dangling")), 0);
    CHECK_INT(kind("dangling", NULL), FILE_KIND_NONE);
    CHECK_INT(kind("nofolder/x.qdb", NULL), FILE_KIND_NONE);

    /* 2 */
    write_file("empty", "", 0);
    CHECK_INT(kind("empty", NULL), FILE_KIND_EMPTY);

    /* 3 */
    write_file("data.csv", "a,b\n1,2\n", 8);
    CHECK_INT(kind("data.csv", NULL), FILE_KIND_OTHER);
    write_file("near", "SQLite format 3!and more than sixteen bytes", 43);
    CHECK_INT(kind("near", NULL), FILE_KIND_OTHER);
    CHECK_INT(symlink("data.csv", at("link.csv")), 0);
    CHECK_INT(kind("link.csv", NULL), FILE_KIND_OTHER);

    /* 4: 0x47504B47 is 'GPKG' */
    make_db("w.qdb", "CREATE TABLE t(x)");
    CHECK_INT(kind("w.qdb", &id), FILE_KIND_WORKSPACE);
    CHECK_INT(id, 0);
    make_db("g.gpkg", "PRAGMA application_id = 1196444487; CREATE TABLE t(x)");
    CHECK_INT(kind("g.gpkg", &id), FILE_KIND_DATABASE);
    CHECK_INT(id, 0x47504B47);

    /* 5 */
    CHECK_INT(kind("", NULL), FILE_KIND_SPECIAL); /* the folder itself */
    CHECK_INT(file_kind_sniff("/dev/null", NULL), FILE_KIND_SPECIAL);
    CHECK_INT(mkfifo(at("fifo"), 0600), 0);
    CHECK_INT(kind("fifo", NULL), FILE_KIND_SPECIAL);

    /* 6: root reads anything, so only as another user */
    if (geteuid() != 0) {
        write_file("secret", "x", 1);
        CHECK_INT(chmod(at("secret"), 0), 0);
        CHECK_INT(kind("secret", NULL), FILE_KIND_UNREADABLE);
        unlink(at("secret"));
    }

    CHECK_STR(file_kind_phrase(FILE_KIND_OTHER),
              "not a quarry workspace (it is not an SQLite database)");
    CHECK_STR(file_kind_phrase(FILE_KIND_WORKSPACE), "a quarry workspace (an SQLite database)");

    const char *const names[] = {"dangling", "empty", "data.csv", "near", "link.csv",
                                 "w.qdb", "g.gpkg", "fifo"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(at(names[i]));
    rmdir(dir);
    return check_done("test_file_kind");
}
