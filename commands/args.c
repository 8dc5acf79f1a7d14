/*
 * args.c: a statement's parsed arguments as handlers read them (by the
 * names their command's spec declares), and the modes of the spec: which
 * keys apply in which mode of a command (cmd.h, struct arg_spec.modes).
 */
#include "cmd.h"
#include "kit.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "prep/keys.h"

#include "base/banned.h"

/* What args_get gives for a name the spec does not declare: nothing. */
static const struct arg_val no_value = {.pos = -1, .key_pos = -1};

const struct arg_val *
args_get(const struct cmd_args *a, const char *name)
{
    for (int i = 0; i < a->n_vals; i++)
        if (strcmp(a->vals[i].spec->name, name) == 0)
            return &a->vals[i];
    /*
     * A handler asked for a name its spec lacks: remember it, so the
     * dispatcher fails the statement loudly instead of running on a silent
     * 0. The args are the dispatcher's own (not const) object, lent to
     * the handler read-only; this one field is how the handler reports
     * back through them.
     */
    if (!a->unknown)
        ((struct cmd_args *)a)->unknown = name;
    return &no_value;
}

const char *
args_str(const struct cmd_args *a, const char *name)
{
    return args_get(a, name)->text;
}

long long
args_int(const struct cmd_args *a, const char *name)
{
    return args_get(a, name)->i;
}

double
args_real(const struct cmd_args *a, const char *name)
{
    return args_get(a, name)->r;
}

int
args_choice(const struct cmd_args *a, const char *name)
{
    const struct arg_val *v = args_get(a, name);
    if (v->spec && v->spec->type != ARG_ENUM) {
        if (!a->not_enum)
            ((struct cmd_args *)a)->not_enum = name;
        return -1;
    }
    return v->text ? (int)v->i : -1;
}

int
args_given(const struct cmd_args *a, const char *name)
{
    return args_get(a, name)->pos >= 0;
}

int
args_check(const struct cmd_args *a, struct qerr *err)
{
    const char *cmd = a->cmd ? a->cmd->name : "?";
    if (a->unknown)
        return qerr_set(err, QE_INTERNAL, "internal error: the handler of '%s' asks for "
                        "argument '%s', which its spec does not declare", cmd, a->unknown);
    if (a->not_enum)
        return qerr_set(err, QE_INTERNAL, "internal error: the handler of '%s' reads argument "
                        "'%s' as a choice, but its spec does not declare an enum", cmd,
                        a->not_enum);
    return 0;
}

void
args_release(struct cmd_args *a)
{
    for (int i = 0; i < a->n_vals; i++) {
        free(a->vals[i].text);
        catalog_names_free(a->vals[i].list, a->vals[i].n_list);
    }
    for (int i = 0; i < a->n_free; i++) {
        free(a->free_keys[i]);
        free(a->free_vals[i]);
    }
    free(a->as);
    free(a->sql);
    memset(a, 0, sizeof *a);
}

/* --- modes ------------------------------------------------------------------ */

/* One condition of a spec's modes: KEY=a|b, !KEY or KEY. */
struct cond {
    const struct arg_val *key;
    int negate;        /* !KEY: KEY is not typed */
    const char *list;  /* KEY=list: the choices, '|'-separated; NULL for KEY and !KEY */
    size_t len;
};

/* The argument named by the first len bytes of name, or NULL. */
static const struct arg_val *
val_named(const struct cmd_args *a, const char *name, size_t len)
{
    for (int i = 0; i < a->n_vals; i++)
        if (strlen(a->vals[i].spec->name) == len && strncmp(a->vals[i].spec->name, name, len) == 0)
            return &a->vals[i];
    return NULL;
}

/* The index of word w[0..len) among the choices "a|b|c", or -1. */
static int
choice_index(const char *choices, const char *w, size_t len)
{
    const char *p = choices;
    for (int i = 0; p && *p; i++) {
        size_t l = strcspn(p, "|");
        if (l == len && strncasecmp(p, w, l) == 0)
            return i;
        p += l + (p[l] == '|');
    }
    return -1;
}

/*
 * Parse the condition starting at *p and move *p past it. 0 at the end
 * of the modes, 1 for a condition, -1 for a spec error (it names no
 * argument, or a choice the key does not have), which err then holds.
 */
static int
next_cond(const struct cmd_args *a, const struct arg_spec *sp, const char **p, struct cond *c,
          struct qerr *err)
{
    while (**p == ' ')
        (*p)++;
    size_t n = strcspn(*p, " ");
    if (n == 0)
        return 0;
    const char *s = *p, *eq = memchr(s, '=', n);
    memset(c, 0, sizeof *c);
    c->negate = *s == '!';
    const char *kname = s + c->negate;
    c->key = val_named(a, kname, eq ? (size_t)(eq - kname) : n - (size_t)c->negate);
    *p += n;
    int bad = !c->key || (c->negate && eq);
    if (eq && !bad) {
        c->list = eq + 1;
        c->len = n - (size_t)(c->list - s);
        /* an enum, or a text positional whose modes are its words (trace kmeans | MODEL) */
        bad = c->key->spec->type != ARG_ENUM && !(c->key->spec->type == ARG_TEXT &&
                                                 c->key->spec->choices);
        for (const char *w = c->list; !bad && w < c->list + c->len;) {
            size_t l = strcspn(w, "| ");
            bad = choice_index(c->key->spec->choices, w, l) < 0;
            w += l + 1;
        }
    }
    if (bad)
        return qerr_set(err, QE_INTERNAL, "internal error: the modes '%s' of '%s' name no "
                        "argument or choice of '%s'", sp->modes, sp->name, a->cmd->name);
    return 1;
}

/* Does the condition hold for the statement's arguments? */
static int
cond_holds(const struct cond *c)
{
    if (c->negate)
        return c->key->pos < 0;
    if (!c->list)
        return c->key->text != NULL;
    if (!c->key->text)
        return 0;
    const struct arg_spec *k = c->key->spec;
    int cur = k->type == ARG_ENUM ? (int)c->key->i
                                  : choice_index(k->choices, c->key->text, strlen(c->key->text));
    for (const char *w = c->list; w < c->list + c->len;) {
        size_t l = strcspn(w, "| ");
        if (cur >= 0 && choice_index(k->choices, w, l) == cur)
            return 1;
        w += l + 1;
    }
    return 0;
}

/* KEY=a, b or c; for a positional key the command: "plot a, b or c". */
static void
cond_text(struct buf *b, const struct cmd_args *a, const struct cond *c)
{
    const struct arg_spec *k = c->key->spec;
    if (!c->list) {
        buf_addf(b, "%s %s=", c->negate ? "without" : "with", k->name);
        return;
    }
    buf_addf(b, k->positional ? "%s " : "%s=", k->positional ? a->cmd->name : k->name);
    for (const char *w = c->list, *end = c->list + c->len; w < end;) {
        size_t l = strcspn(w, "| ");
        buf_addf(b, "%s%.*s", w == c->list ? "" : w + l < end ? ", " : " or ", (int)l, w);
        w += l + 1;
    }
}

/* Refuse a typed key whose spec says it does not apply in the statement's mode. */
static int
check_mode(const struct cmd_args *a, const struct arg_val *v, struct qerr *err)
{
    const char *p = v->spec->modes;
    struct cond c;
    int r;
    while ((r = next_cond(a, v->spec, &p, &c, err)) > 0) {
        if (cond_holds(&c))
            continue;
        struct buf b = BUF_INIT;
        cond_text(&b, a, &c);
        const struct arg_spec *k = c.key->spec;
        if (c.negate)
            qerr_set(err, QE_ARG, "%s does not apply with %s=; give one of them",
                     v->spec->name, k->name);
        else if (!c.list || !c.key->text)
            qerr_set(err, QE_ARG, "%s applies only %s%s", v->spec->name, c.list ? "to " : "",
                     b.data);
        else
            qerr_set(err, QE_ARG, "%s does not apply to %s%s%s; only to %s", v->spec->name,
                     k->positional ? a->cmd->name : k->name, k->positional ? " " : "=",
                     c.key->text, b.data);
        buf_release(&b);
        err->pos = v->key_pos;
        return -1;
    }
    return r;
}

int
args_check_modes(const struct cmd_args *a, struct qerr *err)
{
    for (int i = 0; i < a->n_vals; i++)
        if (a->vals[i].spec->modes && a->vals[i].pos >= 0 && check_mode(a, &a->vals[i], err) < 0)
            return -1;
    return 0;
}

int
args_applies(const struct cmd_entry *c, const struct arg_spec *sp, const char *const *typed)
{
    if (!sp->modes)
        return 1;
    struct cmd_args a = {.cmd = c};
    for (int i = 0; c->args && c->args[i].name && i < CMD_MAX_ARGS; i++, a.n_vals++) {
        const struct arg_spec *s = &c->args[i];
        struct arg_val *v = &a.vals[i];
        *v = (struct arg_val){.spec = s, .pos = typed[i] ? 0 : -1, .key_pos = -1};
        v->text = (char *)(typed[i] ? typed[i] : s->def);
        if (s->type == ARG_ENUM && v->text)
            v->i = choice_index(s->choices, v->text, strlen(v->text));
    }
    struct qerr e = QERR_INIT;
    struct cond cd;
    const char *p = sp->modes;
    int r;
    while ((r = next_cond(&a, sp, &p, &cd, &e)) > 0 && cond_holds(&cd))
        ;
    qerr_clear(&e);
    return r != 1; /* every condition held (0), or the spec is wrong (-1): offer it */
}

void
args_modes_text(const struct cmd_entry *c, const struct arg_spec *sp, struct buf *b)
{
    /* The conditions name arguments by their specs, so a blank statement is enough. */
    struct cmd_args a = {.cmd = c};
    struct qerr e = QERR_INIT;
    struct cond cd;
    const char *p = sp->modes;
    for (int i = 0; c->args && c->args[i].name && i < CMD_MAX_ARGS; i++, a.n_vals++)
        a.vals[i] = (struct arg_val){.spec = &c->args[i], .pos = -1, .key_pos = -1};
    for (int first = 1; p && next_cond(&a, sp, &p, &cd, &e) > 0; first = 0) {
        buf_adds(b, first ? "Applies " : " and ");
        if (cd.list)
            buf_adds(b, "to ");
        cond_text(b, &a, &cd);
    }
    if (sp->modes)
        buf_addc(b, '.');
    qerr_clear(&e);
}

/* --- cols=* ------------------------------------------------------------------ */

int
args_star(const struct arg_spec *sp, const char *text)
{
    return sp->type == ARG_COLUMNS && strcmp(sp->name, "cols") == 0 && text &&
           strcmp(text, "*") == 0;
}

/* The statement's TABLE, or NULL. */
static const char *
star_table(const struct cmd_args *a)
{
    for (int i = 0; i < a->n_vals; i++)
        if (a->vals[i].spec->type == ARG_TABLE && a->vals[i].text)
            return a->vals[i].text;
    return NULL;
}

/* The other column argument of a that names column name (profile's by=), or NULL. */
static const struct arg_spec *
named_elsewhere(const struct cmd_args *a, const char *name)
{
    for (int i = 0; i < a->n_vals; i++)
        if (a->vals[i].spec->type == ARG_COLUMN && a->vals[i].text &&
            strcasecmp(a->vals[i].text, name) == 0)
            return a->vals[i].spec;
    return NULL;
}

/*
 * Fill v->list with the numeric columns of table that are not key-like
 * (prep/keys.h, class labels held as numbers included) and that no other
 * column argument of the statement names, and say so.
 */
static int
expand(struct cmd_ctx *ctx, const struct cmd_args *a, const char *table, struct arg_val *v,
       struct cmd_result *res, struct qerr *err)
{
    struct catalog_columns cc;
    struct frame *f = NULL;
    struct buf kept = BUF_INIT, out = BUF_INIT;
    const char **num = NULL;
    int n = 0, rc = -1;
    if (catalog_columns(catalog_db(ctx->cat), table, 0, &cc, err) < 0)
        return -1;
    num = xcalloc((size_t)cc.n + 1, sizeof *num);
    for (int j = 0; j < cc.n; j++)
        if (cc.kinds[j] == CATALOG_INTEGER || cc.kinds[j] == CATALOG_REAL)
            num[n++] = cc.names[j];
    if (n > 0 && kit_read(ctx, table, num, n, 0, &f, err) < 0)
        goto out;
    for (int j = 0; j < n; j++) {
        enum prep_key why;
        if (prep_key_like(f, j, kit_progress, ctx, &why, err) < 0)
            goto out;
        const struct arg_spec *other = named_elsewhere(a, f->names[j]);
        if (other) {
            buf_addf(&out, "%s%s (%s=)", out.len ? ", " : "", f->names[j], other->name);
            continue;
        }
        if (why != PREP_KEY_NONE) {
            buf_addf(&out, "%s%s (%s: %s)", out.len ? ", " : "", f->names[j],
                     why == PREP_KEY_LABEL ? "a label" : "key-like", prep_key_reason(f, j, why));
            continue;
        }
        buf_addf(&kept, "%s%s", v->n_list ? ", " : "", f->names[j]);
        v->list = xrealloc(v->list, (size_t)(v->n_list + 1) * sizeof *v->list);
        v->list[v->n_list++] = xstrdup(f->names[j]);
    }
    if (v->n_list == 0) {
        qerr_set(err, QE_ARG, "%s=* stands for the numeric columns of '%s' that are not "
                 "key-like, and it has none%s%s", v->spec->name, table,
                 out.len ? "; left out: " : "", out.len ? out.data : "");
        qerr_hint(err, "name the columns: %s=a,b,c (describe %s lists them)", v->spec->name,
                  table);
        err->pos = v->pos;
        goto out;
    }
    result_text(res, "%s=* is %s%s%s", v->spec->name, kept.data, out.len ? "; left out: " : "",
                out.len ? out.data : "");
    rc = 0;
out:
    frame_release(f);
    free(num);
    catalog_columns_release(&cc);
    buf_release(&kept);
    buf_release(&out);
    return rc;
}

int
args_expand_star(struct cmd_ctx *ctx, struct cmd_args *a, struct cmd_result *res,
                 struct qerr *err)
{
    const char *table = star_table(a);
    for (int i = 0; i < a->n_vals; i++) {
        struct arg_val *v = &a->vals[i];
        if (!args_star(v->spec, v->text) || v->n_list > 0)
            continue;
        if (!table) {
            err->pos = v->pos;
            return qerr_set(err, QE_ARG, "%s=* needs the statement's table", v->spec->name);
        }
        if (expand(ctx, a, table, v, res, err) < 0)
            return -1;
    }
    return 0;
}
