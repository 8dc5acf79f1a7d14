/* qerr.c: the error value of qerr.h. */
#include "base/qerr.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/banned.h"

void
qerr_init(struct qerr *e)
{
    e->code = QE_OK;
    e->msg = NULL;
    e->hint = NULL;
    e->pos = -1;
}

void
qerr_clear(struct qerr *e)
{
    free(e->msg);
    free(e->hint);
    qerr_init(e);
}

int
qerr_set(struct qerr *e, enum qerr_code code, const char *fmt, ...)
{
    if (!e || e->code != QE_OK)
        return -1;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    e->code = code;
    e->msg = buf_detach(&b);
    return -1;
}

void
qerr_hint(struct qerr *e, const char *fmt, ...)
{
    if (!e || e->code == QE_OK)
        return;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    free(e->hint);
    e->hint = buf_detach(&b);
}

int
qerr_failed(const struct qerr *e)
{
    return e->code != QE_OK;
}
