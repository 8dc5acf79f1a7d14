/*
 * load_pipe.c: the two-thread CSV insert pass of load_int.h.
 *
 * A worker thread reads and converts records into batches; the thread
 * that runs SQLite takes them. The central structure is a ring of
 * PIPE_RING batches: the worker fills ring[produced % PIPE_RING] while
 * fewer than PIPE_RING batches wait, the caller reads
 * ring[consumed % PIPE_RING] once it has been produced, and gives it back
 * when it moves on. One mutex guards the two counters and the stop flag;
 * a batch belongs to the worker until produced passes it and to the
 * caller until consumed does, so its contents need no lock.
 *
 * A batch holds its good rows (cells, and where each record starts, for
 * progress) and, between them, marks for what is not a row: a bad record,
 * a record of the wrong width, a value that does not fit, the end. The
 * caller turns marks into exactly the calls the one-thread pass makes, in
 * the same order.
 */
#include "data/load_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "data/csv.h"

#include "base/banned.h"

/*
 * Two batches would do on two cores; a third absorbs uneven rows. Four,
 * or batches a quarter the size, measured the same.
 */
#define PIPE_RING 3

/* Something in a batch that is not a row, before its row `at`. */
struct pipe_mark {
    int at;
    struct load_event ev; /* without cells */
};

struct pipe_batch {
    struct load_cell *cells; /* rows x n_cols */
    const char **rec;        /* where each row's record starts */
    int n_rows;
    struct pipe_mark *marks;
    int n_marks;
    struct buf text;         /* what CELL_COPY cells point at, by offset */
    struct load_counts counts; /* markers and padded rows in these rows */
    int last;                /* the worker stopped after this batch (END or MISMATCH) */
    char pad[64];            /* the worker fills the next batch while the caller reads this */
};

/*
 * The worker's part, the shared part and the caller's part each have
 * cache lines of their own: when the caller wrote a line the worker reads
 * for every record (load_ctx.n_inserted beside load_ctx.n_cols was one),
 * the line went back and forth between the cores on every row, and the
 * pass took longer on two threads than on one.
 */
struct load_pipe {
    /* the worker's */
    struct load_ctx snap;     /* a copy of the caller's, for what stays fixed in a pass */
    struct load_image *img;   /* the caller's (its snap copy is not used) */
    int batch_rows;           /* rows, and marks, a batch holds at most */
    struct csv_reader rd;
    enum csv_kind *exact;     /* as load_ctx.exact */
    int again;                /* as load_ctx.again, when c->watch_again */
    char pad1[64];
    /* shared, under mu */
    pthread_mutex_t mu;
    pthread_cond_t filled;    /* produced went up */
    pthread_cond_t freed;     /* consumed went up, or stop */
    long long produced, consumed;
    int stop;                 /* also read by pipe_more without mu, atomically */
    char pad2[64];
    /* the caller's: the batch being read, or cur NULL; copies of what it reads per row */
    pthread_t thread;
    int n_cols;
    struct pipe_batch *cur;
    const struct load_cell *cells;
    const char *const *rec;
    const struct pipe_mark *marks;
    const char *text;
    int n_rows, n_marks;
    int row, mark;            /* the next row and mark of cur */
    int finished;             /* the last batch's last mark was handed out */
    char pad3[64];
    struct pipe_batch ring[PIPE_RING];
};

static struct load_event *
add_mark(struct pipe_batch *b, enum load_event_what what)
{
    struct pipe_mark *m = &b->marks[b->n_marks++];
    memset(m, 0, sizeof(*m));
    m->at = b->n_rows;
    m->ev.what = what;
    return &m->ev;
}

/* Fill b from the worker's reader: the same reading as csv_next's. */
static void
fill(struct load_pipe *p, struct pipe_batch *b)
{
    const struct load_ctx *c = &p->snap;
    struct csv_reader *rd = &p->rd;
    int n = c->n_cols;

    b->n_rows = 0;
    b->n_marks = 0;
    b->last = 0;
    memset(&b->counts, 0, sizeof(b->counts));
    buf_reset(&b->text);
    while (b->n_rows < p->batch_rows && b->n_marks < p->batch_rows - 1) {
        if (!csv_read(rd)) {
            add_mark(b, LOAD_EV_END);
            b->last = 1;
            return;
        }
        if (rd->bad) {
            struct load_event *ev = add_mark(b, LOAD_EV_BAD);
            ev->bad = rd->bad;
            ev->line = rd->bad_line;
            ev->field = rd->bad_field;
            ev->byte = rd->bad_byte;
            continue;
        }
        if (!load_fit(c, rd, &b->counts)) {
            struct load_event *ev = add_mark(b, LOAD_EV_RAGGED);
            ev->line = rd->rec_line;
            ev->n_fields = rd->n_fields;
            ev->field = load_width(c, rd);
            continue;
        }
        int first = rd->rec == c->first;
        struct load_cell *row = b->cells + (size_t)b->n_rows * (size_t)n;
        if (c->watch_again && !first)
            load_check_again(c, rd->fields, &p->again);
        if (load_csv_cells(c, rd->fields, row, p->exact, &b->text, !first, &b->counts)) {
            struct load_event *ev = add_mark(b, LOAD_EV_MISMATCH);
            ev->rec = rd->rec;
            ev->line = rd->rec_line;
            b->last = 1;
            return;
        }
        load_capture_row(&p->snap, row);
        b->rec[b->n_rows++] = rd->rec;
    }
}

/* The worker reader's csv_fill: a stop ends its input, even inside a long record. */
static int
pipe_more(void *ctx, const char *at, size_t n)
{
    struct load_pipe *p = ctx;
    if (__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE))
        return -1;
    return load_image_fill(p->img, at, n);
}

static void *
worker(void *arg)
{
    struct load_pipe *p = arg;
    for (long long k = 0;; k++) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && k - p->consumed >= PIPE_RING)
            pthread_cond_wait(&p->freed, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            return NULL;
        struct pipe_batch *b = &p->ring[k % PIPE_RING];
        fill(p, b);
        pthread_mutex_lock(&p->mu);
        p->produced = k + 1;
        pthread_cond_signal(&p->filled);
        pthread_mutex_unlock(&p->mu);
        if (b->last)
            return NULL;
    }
}

/* Hand the kept numeric columns back to c. */
static void
capture_back(struct load_ctx *c, struct load_pipe *p)
{
    c->cap = p->snap.cap;
    c->cap_block = p->snap.cap_block;
    c->cap_ld = p->snap.cap_ld;
    c->cap_rows = p->snap.cap_rows;
}

static void
pipe_free(struct load_pipe *p)
{
    for (int i = 0; i < PIPE_RING; i++) {
        free(p->ring[i].cells);
        free(p->ring[i].rec);
        free(p->ring[i].marks);
        buf_release(&p->ring[i].text);
    }
    csv_reader_release(&p->rd);
    free(p->exact);
    free(p->snap.kinds);
    pthread_cond_destroy(&p->filled);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

void
load_pipe_start(struct load_ctx *c)
{
    int rows = c->o->batch_rows;
    c->pipe = NULL;
    if (rows < 0 || (rows == 0 && c->size < LOAD_PIPE_MIN_BYTES))
        return;
    if (rows == 0)
        rows = LOAD_PIPE_CELLS / c->n_cols > 64 ? LOAD_PIPE_CELLS / c->n_cols : 64;
    if (rows < 2)
        rows = 2; /* room for a row and a mark */

    struct load_pipe *p = xcalloc(1, sizeof(*p));
    p->snap = *c;
    /* The worker keeps the numeric columns while it runs: they are its until load_pipe_stop. */
    p->snap.n_inserted = 0;
    c->cap = NULL;
    c->cap_block = NULL;
    p->snap.kinds = xcalloc((size_t)c->n_cols, sizeof(*c->kinds));
    memcpy(p->snap.kinds, c->kinds, (size_t)c->n_cols * sizeof(*c->kinds));
    p->n_cols = c->n_cols;
    p->batch_rows = rows;
    p->img = &c->img;
    csv_reader_init(&p->rd, c->data, c->size, c->delim);
    p->rd.fill.more = pipe_more;
    p->rd.fill.ctx = p;
    csv_reader_seek(&p->rd, c->rd.p, c->rd.line);
    p->exact = xcalloc((size_t)c->n_cols, sizeof(*p->exact));
    memcpy(p->exact, c->exact, (size_t)c->n_cols * sizeof(*p->exact));
    p->again = c->again;
    for (int i = 0; i < PIPE_RING; i++) {
        struct pipe_batch *b = &p->ring[i];
        b->cells = xcalloc((size_t)rows * (size_t)c->n_cols, sizeof(*b->cells));
        b->rec = xcalloc((size_t)rows, sizeof(*b->rec));
        b->marks = xcalloc((size_t)rows, sizeof(*b->marks));
        buf_init(&b->text);
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->filled, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        capture_back(c, p);
        pipe_free(p); /* no thread: the pass reads in this thread */
        return;
    }
    c->pipe = p;
}

/*
 * Wait for the worker to produce a batch; 0, or -1 when the progress
 * callback, asked now and then while waiting, cancels.
 */
static int
wait_filled(struct load_ctx *c, struct load_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->produced == p->consumed) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += LOAD_POLL_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        if (pthread_cond_timedwait(&p->filled, &p->mu, &ts) == ETIMEDOUT &&
            p->produced == p->consumed) {
            /* A slow record (hundreds of MB): the user may give up waiting. */
            pthread_mutex_unlock(&p->mu);
            if (load_poll(c) < 0)
                return -1;
            pthread_mutex_lock(&p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

void
load_pipe_get(struct load_ctx *c, struct load_event *ev)
{
    struct load_pipe *p = c->pipe;
    for (;;) {
        if (!p->cur) {
            if (wait_filled(c, p) < 0) {
                ev->what = LOAD_EV_STOP;
                return;
            }
            const struct pipe_batch *b = p->cur = &p->ring[p->consumed % PIPE_RING];
            p->cells = b->cells;
            p->rec = b->rec;
            p->marks = b->marks;
            p->text = b->text.data;
            p->n_rows = b->n_rows;
            p->n_marks = b->n_marks;
            p->row = 0;
            p->mark = 0;
            c->counts.na += b->counts.na;
            c->counts.padded += b->counts.padded;
        }
        if (p->mark < p->n_marks && p->marks[p->mark].at == p->row) {
            *ev = p->marks[p->mark++].ev;
            if (ev->what == LOAD_EV_END || ev->what == LOAD_EV_MISMATCH)
                p->finished = 1;
            return;
        }
        if (p->row < p->n_rows) {
            int r = p->row++;
            ev->what = LOAD_EV_ROW;
            ev->cells = p->cells + (size_t)r * (size_t)p->n_cols;
            ev->copy_base = p->text;
            ev->rec = p->rec[r];
            return;
        }
        /* Done with cur (its last row has been inserted): hand it back. */
        p->cur = NULL;
        pthread_mutex_lock(&p->mu);
        p->consumed++;
        pthread_cond_signal(&p->freed);
        pthread_mutex_unlock(&p->mu);
    }
}

void
load_pipe_stop(struct load_ctx *c)
{
    struct load_pipe *p = c->pipe;
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    __atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    capture_back(c, p);
    if (p->finished) {
        memcpy(c->exact, p->exact, (size_t)c->n_cols * sizeof(*c->exact));
        c->again = p->again;
    }
    pipe_free(p);
    c->pipe = NULL;
}
