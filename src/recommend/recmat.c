/*
 * recmat.c: the binary user x item matrix in CSR form and its transpose
 * (recmat.h), built by counting sorts: rows are bucketed per user, each
 * user's items sorted and deduplicated, then the transpose is filled by
 * walking users in order, so every item's user list comes out ascending.
 */
#include "recommend/recmat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

static int
cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

void
recmat_release(struct recmat *m)
{
    free(m->uptr);
    free(m->uitem);
    free(m->iptr);
    free(m->iuser);
    memset(m, 0, sizeof *m);
}

/* Fill the transpose iptr/iuser from the deduplicated CSR. */
static int
build_transpose(struct recmat *m, struct tick *t, struct qerr *err)
{
    m->iptr = mem_calloc((size_t)m->n_items + 1, sizeof *m->iptr, "recommend", "items", err);
    m->iuser = mem_alloc((size_t)m->nnz, sizeof *m->iuser, "recommend", "user-item pairs", err);
    if (!m->iptr || !m->iuser)
        return -1;
    for (long long k = 0; k < m->nnz; k++)
        m->iptr[m->uitem[k] + 1]++;
    for (int i = 0; i < m->n_items; i++)
        m->iptr[i + 1] += m->iptr[i];
    long long *fill = mem_alloc((size_t)m->n_items + 1, sizeof *fill, "recommend", "items", err);
    if (!fill)
        return -1;
    memcpy(fill, m->iptr, ((size_t)m->n_items + 1) * sizeof *fill);
    for (int u = 0; u < m->n_users; u++) {
        if (tick_row(t, u, m->n_users)) {
            free(fill);
            return tick_fail(err);
        }
        for (long long k = m->uptr[u]; k < m->uptr[u + 1]; k++)
            m->iuser[fill[m->uitem[k]]++] = u;
    }
    free(fill);
    return 0;
}

int
recmat_build(struct recmat *m, const int32_t *user, const int32_t *item, long long n_rows,
             int n_users, int n_items, const unsigned char *keep, struct tick *t,
             struct qerr *err)
{
    memset(m, 0, sizeof *m);
    m->n_users = n_users;
    m->n_items = n_items;
    long long *fill = NULL;
    m->uptr = mem_calloc((size_t)n_users + 1, sizeof *m->uptr, "recommend", "users", err);
    if (!m->uptr)
        goto fail;
    long long n = 0;
    for (long long r = 0; r < n_rows; r++) {
        if (user[r] < 0 || item[r] < 0 || (keep && !keep[r]))
            continue;
        m->uptr[user[r] + 1]++;
        n++;
    }
    for (int u = 0; u < n_users; u++)
        m->uptr[u + 1] += m->uptr[u];
    m->uitem = mem_alloc((size_t)n, sizeof *m->uitem, "recommend", "user-item pairs", err);
    fill = mem_alloc((size_t)n_users + 1, sizeof *fill, "recommend", "users", err);
    if (!m->uitem || !fill)
        goto fail;
    memcpy(fill, m->uptr, ((size_t)n_users + 1) * sizeof *fill);
    for (long long r = 0; r < n_rows; r++) {
        if (tick_row(t, r, n_rows)) {
            tick_fail(err);
            goto fail;
        }
        if (user[r] < 0 || item[r] < 0 || (keep && !keep[r]))
            continue;
        m->uitem[fill[user[r]]++] = item[r];
    }
    /* sort and deduplicate each user's items, compacting in place */
    long long w = 0;
    for (int u = 0; u < n_users; u++) {
        if (tick_row(t, u, n_users)) {
            tick_fail(err);
            goto fail;
        }
        long long a = m->uptr[u], b = m->uptr[u + 1];
        qsort(m->uitem + a, (size_t)(b - a), sizeof *m->uitem, cmp_i32);
        m->uptr[u] = w;
        for (long long k = a; k < b; k++)
            if (k == a || m->uitem[k] != m->uitem[k - 1])
                m->uitem[w++] = m->uitem[k];
    }
    m->uptr[n_users] = w;
    m->nnz = w;
    m->n_dup = n - w;
    free(fill);
    fill = NULL;
    if (build_transpose(m, t, err) < 0)
        goto fail;
    return 0;
fail:
    free(fill);
    recmat_release(m);
    return -1;
}

int
recmat_has(const struct recmat *m, int u, int i)
{
    const int32_t *a = m->uitem + m->uptr[u];
    long long lo = 0, hi = m->uptr[u + 1] - m->uptr[u];
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2;
        if (a[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->uptr[u + 1] - m->uptr[u] && a[lo] == i;
}

double
recmat_cosine(const struct recmat *m, int i, int j)
{
    const int32_t *a = m->iuser + m->iptr[i], *b = m->iuser + m->iptr[j];
    long long na = recmat_item_count(m, i), nb = recmat_item_count(m, j);
    if (na == 0 || nb == 0)
        return 0.0;
    long long p = 0, q = 0, co = 0;
    while (p < na && q < nb) {
        if (a[p] < b[q])
            p++;
        else if (a[p] > b[q])
            q++;
        else {
            co++;
            p++;
            q++;
        }
    }
    return (double)co / sqrt((double)na * (double)nb);
}
