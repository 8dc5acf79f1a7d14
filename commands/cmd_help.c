/*
 * cmd_help.c: the help family. `help` lists the commands by family from
 * the command table, in the order of cmd_families; `help CMD` prints the
 * synopsis, the paragraph, every argument with its default and the
 * example, all from the entry itself.
 */
#include "cmd.h"

#include <string.h>
#include <strings.h>

#include "base/banned.h"

static const struct arg_spec cmd_help_args[] = {
    {.name = "COMMAND", .positional = 1, .type = ARG_TEXT,
     .help = "The command to explain; without it, the list of commands.",
     .comp = COMP_COMMANDS},
    {0},
};

/* Append text wrapped at width, each line starting with indent spaces. */
static void
wrap(struct buf *b, const char *text, int indent, int width)
{
    const char *p = text;
    int col = 0;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        int wl = (int)(e - p);
        if (!wl)
            break;
        if (col && col + 1 + wl > width) {
            buf_addc(b, '\n');
            col = 0;
        }
        if (!col) {
            buf_addn(b, ' ', (size_t)indent);
            col = indent;
        } else {
            buf_addc(b, ' ');
            col++;
        }
        buf_add(b, p, (size_t)wl);
        col += wl;
        p = e;
    }
}

static void
list_commands(struct cmd_result *res)
{
    struct buf b = BUF_INIT;
    int width = 0; /* the longest name, so the synopses line up */
    for (int i = 0; i < cmd_table_len; i++)
        if ((int)strlen(cmd_table[i]->name) > width)
            width = (int)strlen(cmd_table[i]->name);
    buf_adds(&b, "quarry commands (type help COMMAND for details):\n");
    for (int f = 0; cmd_families[f]; f++) {
        buf_addf(&b, "\n%s\n", cmd_families[f]);
        for (int i = 0; i < cmd_table_len; i++)
            if (strcmp(cmd_table[i]->family, cmd_families[f]) == 0)
                buf_addf(&b, "  %-*s %s\n", width, cmd_table[i]->name, cmd_table[i]->synopsis);
        /* a command's other form (cmd.h's variant) also under its own family */
        for (int i = 0; i < cmd_table_len; i++) {
            const struct cmd_entry *v = cmd_table[i]->variant;
            if (v && strcmp(v->family, cmd_families[f]) == 0)
                buf_addf(&b, "  %-*s %s\n", width, v->name, v->synopsis);
        }
    }
    buf_adds(&b, "\nSQL: a statement that starts with SELECT, WITH, CREATE, INSERT, UPDATE,\n"
                 "DELETE, DROP TABLE, ALTER or PRAGMA runs as SQL on the catalog, up to its ';'.\n"
                 "Separate statements with ';' or newlines; end a line with \\ to continue it;\n"
                 "# starts a comment.");
    result_text(res, "%s", b.data);
    buf_release(&b);
}

/* The full help of one command (also used by the manual check). */
void
cmd_help_format(const struct cmd_entry *c, struct buf *b)
{
    buf_addf(b, "%s\n\n", c->synopsis);
    wrap(b, c->help, 2, 78);
    buf_addc(b, '\n');
    if (c->args && c->args[0].name) {
        buf_adds(b, "\narguments:\n");
        for (const struct arg_spec *a = c->args; a->name; a++) {
            struct buf line = BUF_INIT;
            if (a->required)
                buf_adds(&line, "Required. ");
            if (a->type == ARG_ENUM)
                buf_addf(&line, "One of %s. ", a->choices);
            if (a->def)
                buf_addf(&line, "Default %s. ", a->def);
            buf_adds(&line, a->help);
            if (args_star(a, "*"))
                buf_adds(&line, " * names every numeric column that is not key-like (ids).");
            if (a->modes) {
                buf_addc(&line, ' ');
                args_modes_text(c, a, &line);
            }
            buf_addf(b, "  %-10s", a->positional ? a->name : a->name);
            struct buf w = BUF_INIT;
            wrap(&w, line.data, 13, 78);
            buf_adds(b, w.data + 12 < w.data + w.len ? w.data + 12 : "");
            buf_addc(b, '\n');
            buf_release(&w);
            buf_release(&line);
        }
    }
    if (c->flags & CMD_AS && c->as_help) { /* an as NAME that writes nothing (explain) */
        struct buf w = BUF_INIT;
        wrap(&w, c->as_help, 13, 78);
        buf_addf(b, "  as NAME   %s\n", w.len > 12 ? w.data + 12 : "");
        buf_release(&w);
    } else if (c->flags & CMD_AS) {
        buf_adds(b, "  as NAME    Write the result to a new table NAME (never one that exists).\n");
    }
    buf_addf(b, "\nexample:\n  %s", c->example);
    if (c->variant) {
        buf_adds(b, "\n\n");
        cmd_help_format(c->variant, b);
    }
}

static int
cmd_help_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *topic = args_str(args, "COMMAND");
    if (!topic) {
        list_commands(res);
        return 0;
    }
    const struct cmd_entry *c = cmd_find(topic, err);
    if (!c) {
        err->pos = args_get(args, "COMMAND")->pos;
        return -1;
    }
    struct buf b = BUF_INIT;
    cmd_help_format(c, &b);
    result_text(res, "%s", b.data);
    buf_release(&b);
    return 0;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .family = "help",
    .synopsis = "help [COMMAND]",
    .help = "Without an argument, list every command by family. With a command name, show "
            "its synopsis, what it does, every argument with its default, and an example.",
    .example = "help load",
    .args = cmd_help_args,
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_help_exec,
};
