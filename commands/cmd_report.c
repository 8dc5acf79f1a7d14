/*
 * cmd_report.c: `report FILE.md|FILE.html`, the session so far as a
 * document: each statement from the session's log (cmd_report.h), what it
 * printed, its result tables (cut to REPORT_ROWS rows), its errors, and
 * its figures drawn again as PNG files beside the document
 * (FILE_md_fig1.png or FILE_html_fig1.png, ...), so an analysis can be
 * shared or handed in.
 */
#include "cmd_report.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "kit.h"
#include "base/file_target.h"
#include "plot/plot.h"
#include "base/banned.h"

enum report_form { REPORT_MD, REPORT_HTML };

static const struct arg_spec cmd_report_args[] = {
    {.name = "FILE", .positional = 1, .type = ARG_PATH, .required = 1,
     .help = "The document: FILE.md (Markdown) or FILE.html; the figures go beside it as "
             "FILE_md_fig1.png, ... or FILE_html_fig1.png, ...",
     .comp = COMP_FILES},
    {.name = "replace", .type = ARG_BOOL, .def = "no",
     .help = "yes: write over FILE and its figures when they exist (without it they are "
             "refused).",
     .comp = COMP_CHOICES},
    {0},
};

/* --- text ------------------------------------------------------------------ */

/* s without ANSI colour codes (inline plots and coloured text). */
static void
add_plain(struct buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '\033' && s[1] == '[') {
            while (*s && *s != 'm')
                s++;
            if (!*s)
                break;
            continue;
        }
        buf_addc(b, *s);
    }
}

/* HTML: & < > " ' escaped, colour codes dropped. */
static void
add_html(struct buf *b, const char *s)
{
    struct buf p = BUF_INIT;
    add_plain(&p, s);
    for (const char *q = p.data; *q; q++) {
        switch (*q) {
        case '&': buf_adds(b, "&amp;"); break;
        case '<': buf_adds(b, "&lt;"); break;
        case '>': buf_adds(b, "&gt;"); break;
        case '"': buf_adds(b, "&quot;"); break;
        case '\'': buf_adds(b, "&#39;"); break;
        default: buf_addc(b, *q);
        }
    }
    buf_release(&p);
}

/* A Markdown code fence longer than any run of backticks in s (at least three). */
static void
add_fenced(struct buf *b, const char *s, const char *lang)
{
    int run = 0, most = 0;
    for (const char *q = s; *q; q++) {
        run = *q == '`' ? run + 1 : 0;
        most = run > most ? run : most;
    }
    int n = most < 3 ? 3 : most + 1;
    for (int i = 0; i < n; i++)
        buf_addc(b, '`');
    buf_addf(b, "%s\n", lang);
    add_plain(b, s);
    if (b->len && b->data[b->len - 1] != '\n')
        buf_addc(b, '\n');
    for (int i = 0; i < n; i++)
        buf_addc(b, '`');
    buf_adds(b, "\n\n");
}

/* A Markdown table cell: | escaped, line breaks as spaces. */
static void
add_md_cell(struct buf *b, const char *s)
{
    struct buf p = BUF_INIT;
    add_plain(&p, s ? s : "NULL");
    for (const char *q = p.data; *q; q++) {
        if (*q == '|' || *q == '\\' || *q == '<' || *q == '`')
            buf_addc(b, '\\');
        buf_addc(b, *q == '\n' || *q == '\r' ? ' ' : *q);
    }
    buf_release(&p);
}

static void
add_table(struct buf *b, const struct rtable *t, enum report_form form)
{
    if (form == REPORT_MD) {
        for (int pass = 0; pass < 2; pass++) {
            buf_adds(b, "|");
            for (int j = 0; j < t->n_cols; j++) {
                if (pass)
                    buf_adds(b, " --- |");
                else {
                    buf_adds(b, " ");
                    add_md_cell(b, t->cols[j]);
                    buf_adds(b, " |");
                }
            }
            buf_adds(b, "\n");
        }
        for (long long r = 0; r < t->n_rows; r++) {
            buf_adds(b, "|");
            for (int j = 0; j < t->n_cols; j++) {
                buf_adds(b, " ");
                add_md_cell(b, rtable_get(t, r, j));
                buf_adds(b, " |");
            }
            buf_adds(b, "\n");
        }
        if (t->n_more)
            buf_addf(b, "\n*(the first %lld rows of %lld)*\n", t->n_rows, t->n_rows + t->n_more);
        buf_adds(b, "\n");
        return;
    }
    buf_adds(b, "<table>\n<tr>");
    for (int j = 0; j < t->n_cols; j++) {
        buf_adds(b, "<th>");
        add_html(b, t->cols[j]);
        buf_adds(b, "</th>");
    }
    buf_adds(b, "</tr>\n");
    for (long long r = 0; r < t->n_rows; r++) {
        buf_adds(b, "<tr>");
        for (int j = 0; j < t->n_cols; j++) {
            const char *v = rtable_get(t, r, j);
            buf_adds(b, t->num[(size_t)r * (size_t)t->n_cols + (size_t)j] ? "<td class=\"n\">"
                                                                          : "<td>");
            add_html(b, v ? v : "NULL");
            buf_adds(b, "</td>");
        }
        buf_adds(b, "</tr>\n");
    }
    buf_adds(b, "</table>\n");
    if (t->n_more)
        buf_addf(b, "<p class=\"more\">the first %lld rows of %lld</p>\n", t->n_rows,
                 t->n_rows + t->n_more);
}

/* A block of text: preformatted. */
static void
add_pre(struct buf *b, const char *s, const char *cls, enum report_form form)
{
    if (form == REPORT_MD) {
        add_fenced(b, s, "text");
        return;
    }
    buf_addf(b, "<pre class=\"%s\">", cls);
    add_html(b, s);
    buf_adds(b, "</pre>\n");
}

/* --- the document ------------------------------------------------------------ */

/*
 * The figures' stem: FILE with the dot of its extension an underscore and
 * the extension in lower case (r.md: r_md, r.html: r_html), so the
 * Markdown and the HTML report of one name each have their own figures.
 */
static char *
stem_of(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    struct buf b = BUF_INIT;
    buf_add(&b, path, n);
    if (n < strlen(path)) {
        buf_adds(&b, "_");
        for (const char *c = path + n + 1; *c; c++)
            buf_addf(&b, "%c", *c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    }
    return buf_detach(&b);
}

static const char *
base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* "2025-01-01 00:00 UTC": now, or SOURCE_DATE_EPOCH when set (reproducible documents). */
static void
add_date(struct buf *b)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long v = env ? strtoll(env, &end, 10) : 0;
    time_t t = env && end && !*end ? (time_t)v : time(NULL);
    struct tm tm;
    char s[32];
    gmtime_r(&t, &tm);
    strftime(s, sizeof s, "%Y-%m-%d %H:%M UTC", &tm);
    buf_adds(b, s);
}

static void
add_entry(struct buf *b, const struct report_entry *e, int no, int *fig, const char *stem,
          enum report_form form)
{
    if (form == REPORT_MD) {
        buf_addf(b, "## %d\n\n", no);
        add_fenced(b, e->stmt, "");
    } else {
        buf_addf(b, "<h2 id=\"s%d\">%d</h2>\n", no, no);
        add_pre(b, e->stmt, "stmt", form);
    }
    for (int i = 0; i < e->n_items; i++) {
        const struct out_item *it = &e->items[i];
        if (it->kind == OUT_TABLE)
            add_table(b, it->table, form);
        else if (!(it->kind == OUT_BLOCK && e->n_figures > 0)) /* a drawn plot: its figure */
            add_pre(b, it->text, "out", form);
    }
    if (e->error) {
        struct buf m = BUF_INIT;
        buf_addf(&m, "error: %s", e->error);
        add_pre(b, m.data, "error", form);
        buf_release(&m);
    }
    for (int k = 0; k < e->n_figures; k++) {
        ++*fig;
        struct buf name = BUF_INIT;
        buf_addf(&name, "%s_fig%d.png", base_of(stem), *fig);
        if (form == REPORT_MD) {
            buf_addf(b, "![figure %d](", *fig);
            add_md_cell(b, name.data);
            buf_adds(b, ")\n\n");
        } else {
            buf_adds(b, "<p><img src=\"");
            add_html(b, name.data);
            buf_addf(b, "\" alt=\"figure %d\"></p>\n", *fig);
        }
        buf_release(&name);
    }
    if (e->figures_dropped)
        add_pre(b, "(a figure too large to keep for the report was left out)", "out", form);
}

static void
make_doc(struct buf *b, const struct report_log *lg, const char *stem, enum report_form form)
{
    int fig = 0, no = 0;
    if (form == REPORT_MD) {
        buf_adds(b, "# quarry session\n\nWritten by quarry on ");
        add_date(b);
        buf_addf(b, ": %d statement%s.\n\n", lg ? lg->n : 0, kit_plural(lg ? lg->n : 0));
    } else {
        buf_adds(b, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
                    "<title>quarry session</title>\n<style>\n"
                    "body { font-family: sans-serif; max-width: 60em; margin: 2em auto; }\n"
                    "pre { background: #f4f4f4; padding: 0.5em; overflow-x: auto; }\n"
                    "pre.stmt { background: #e8eef8; font-weight: bold; }\n"
                    "pre.error { background: #fbe9e9; }\n"
                    "table { border-collapse: collapse; margin: 0.5em 0; }\n"
                    "th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; }\n"
                    "td.n { text-align: right; }\n"
                    "img { max-width: 100%; }\n</style>\n</head>\n<body>\n"
                    "<h1>quarry session</h1>\n<p>Written by quarry on ");
        add_date(b);
        buf_addf(b, ": %d statement%s.</p>\n", lg ? lg->n : 0, kit_plural(lg ? lg->n : 0));
    }
    for (int i = 0; lg && i < lg->n; i++)
        add_entry(b, &lg->e[i], ++no, &fig, stem, form);
    if (form == REPORT_HTML)
        buf_adds(b, "</body>\n</html>\n");
}

/* --- files ------------------------------------------------------------------- */

static int
exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The figure paths: stem_figN.png (stem_of) for each figure of the log, in order. */
static char **
figure_paths(const struct report_log *lg, const char *stem, int *n)
{
    int total = 0;
    for (int i = 0; lg && i < lg->n; i++)
        total += lg->e[i].n_figures;
    char **p = xcalloc((size_t)total + 1, sizeof *p);
    for (int k = 0; k < total; k++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "%s_fig%d.png", stem, k + 1);
        p[k] = buf_detach(&b);
    }
    *n = total;
    return p;
}

/* Refuse what exists, naming it and the statement to type, unless replace=yes. */
static int
check_free(const struct cmd_args *args, const char *file, char *const *figs, int n_figs,
           struct qerr *err)
{
    if (kit_replacing(args))
        return 0;
    const char *taken = exists(file) ? file : NULL;
    for (int k = 0; k < n_figs && !taken; k++)
        if (exists(figs[k]))
            taken = figs[k];
    if (!taken)
        return 0;
    qerr_set(err, QE_ARG, "'%s' exists already; report writes over it only with replace=yes",
             taken);
    qerr_hint(err, "to replace it, type: report %s replace=yes; or name another file", file);
    return kit_fail_at(args, "FILE", err);
}

static int
write_doc(const char *file, const struct buf *doc, struct qerr *err)
{
    struct file_target t;
    if (file_target_open(&t, file, FILE_TARGET_STREAM, err) < 0)
        return -1;
    if (file_target_write(&t, doc->data, doc->len, err) < 0) {
        file_target_abort(&t);
        return -1;
    }
    return file_target_commit(&t, err);
}

static int
cmd_report_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *file = args_str(args, "FILE");
    const char *dot = strrchr(file, '.');
    const struct report_log *lg = ctx->log;
    struct buf doc = BUF_INIT, text = BUF_INIT;
    char *stem = stem_of(file);
    report_log_skip(ctx); /* report leaves itself out of the log */
    int n_figs = 0, rc = -1;
    char **figs = figure_paths(lg, stem, &n_figs);
    enum report_form form = REPORT_MD;
    if (dot && (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0))
        form = REPORT_HTML;
    else if (!dot || (strcasecmp(dot, ".md") != 0 && strcasecmp(dot, ".markdown") != 0)) {
        qerr_set(err, QE_ARG, "report writes FILE.md or FILE.html, not '%s'", file);
        kit_fail_at(args, "FILE", err);
        goto out;
    }
    if (check_free(args, file, figs, n_figs, err) < 0)
        goto out;
    struct plot_run run = {.progress = kit_progress, .pctx = ctx};
    int k = 0;
    for (int i = 0; lg && i < lg->n; i++)
        for (int f = 0; f < lg->e[i].n_figures; f++, k++)
            if (plot_run_script(lg->e[i].figures[f], strlen(lg->e[i].figures[f]),
                                PLOT_TERM_PNG, figs[k], &run, &text, err) < 0)
                goto out;
    make_doc(&doc, lg, stem, form);
    if (write_doc(file, &doc, err) < 0)
        goto out;
    if (n_figs)
        result_text(res, "wrote %s: %d statement%s, %d figure%s (%s to %s)", file,
                    lg ? lg->n : 0, kit_plural(lg ? lg->n : 0), n_figs, kit_plural(n_figs),
                    figs[0], figs[n_figs - 1]);
    else
        result_text(res, "wrote %s: %d statement%s, no figures", file, lg ? lg->n : 0,
                    kit_plural(lg ? lg->n : 0));
    rc = 0;
out:
    for (int i = 0; i < n_figs; i++)
        free(figs[i]);
    free(figs);
    free(stem);
    buf_release(&doc);
    buf_release(&text);
    return rc;
}

const struct cmd_entry cmd_report_entry = {
    .name = "report",
    .family = "session",
    .synopsis = "report FILE.md|FILE.html [replace=yes]",
    .help = "Write the session so far as a document, to share an analysis or hand it in: "
            "each statement in the order it ran (a demo's steps one by one, as if typed), "
            "the text it printed, its result tables (the "
            "first 20 rows, with the count of the rest), its errors, and its figures, drawn "
            "again as PNG files beside the document (FILE_md_fig1.png, FILE_md_fig2.png, ... "
            "for FILE.md; FILE_html_fig1.png, ... for FILE.html: every plot, inline or to a "
            "file, and each frame of plot trace). FILE.md is Markdown, FILE.html a page of its "
            "own (text escaped). A FILE or figure that exists is refused unless the statement "
            "says replace=yes. report statements themselves "
            "are left out, and it is not recorded in the history. Needs gnuplot for the "
            "figures.",
    .example = "report analysis.md",
    .args = cmd_report_args,
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_report_exec,
};
