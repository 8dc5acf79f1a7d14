/*
 * nn_rnn_tmpl.h: the recurrent layers' passes (nn_rnn.c) written once for
 * a number type: nn_rnn.c includes this file twice, with RT double (the
 * default path, the one the gradient checks run) and RT float (the float32
 * path, nn_set_float32). It defines nothing unless RT is defined (so it
 * compiles on its own, as every header must). Before including it, define
 *   RT               the number type of the caches, the work and W
 *   RN(name)         name with the type's suffix (the static functions)
 *   RGEMM(ta, M, N, K, A, lda, B, ldb, beta, C, ldc)   C = op(A) B + beta C
 *   RSIGM(x, n), RTANH(x, n)   the activations in place
 * and struct rnn_job (nn_rnn.c). The layer's input and output, its
 * gradients and the parameters stay double; the float path converts as it
 * reads and writes them.
 */
#ifdef RT

/* h_t of example i goes to z[t+1]'s h part and to the output (double). */
static void
RN(put_h)(struct nn_layer *l, RT *z, int b, int t, int i, const RT *h)
{
    int F = l->in_f, H = l->units, T = l->in_t, zw = F + H;
    double *o = NULL;
    if (t + 1 < T)
        memcpy(z + (size_t)b * zw + (size_t)i * zw + F, h, (size_t)H * sizeof(RT));
    if (l->same)
        o = l->out + ((size_t)i * T + t) * H;
    else if (t == T - 1)
        o = l->out + (size_t)i * H;
    if (o)
        for (int j = 0; j < H; j++)
            o[j] = h[j];
}

/*
 * Forward over examples [i0, i1): every step of their sequences. A step's
 * pre-activations are one gemm of its rows [x_t, h_{t-1}] (z[t]) by W
 * (Wx over Wh) onto the bias; the GRU keeps h Wh + bh apart for n.
 */
static void
RN(forward_rows)(struct rnn_job *jb)
{
    struct nn_layer *l = jb->l;
    const RT *w = jb->w;
    const double *x = jb->x;
    int F = l->in_f, H = l->units, T = l->in_t, G = rnn_gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)jb->b, i0 = (size_t)jb->i0, i1 = (size_t)jb->i1, m = i1 - i0;
    RT *zall = (RT *)l->cache, *aall = zall + (size_t)T * B * zw;
    RT *call = aall + (size_t)T * B * gh, *tall = call + (size_t)T * B * H;
    const RT *bias = w + (size_t)zw * gh, *wh = w + (size_t)F * gh;
    RT *scratch = (RT *)l->work + (size_t)T * B * gh; /* the dz region, free forward */
    if (m == 0)
        return;
    for (int t = 0; t < T; t++) {
        RT *z = zall + (size_t)t * B * zw, *a = aall + (size_t)t * B * gh;
        for (size_t i = i0; i < i1; i++) {
            RT *zr = z + i * zw;
            const double *xr = x + (i * T + t) * F;
            for (int k = 0; k < F; k++)
                zr[k] = (RT)xr[k];
            if (t == 0)
                memset(zr + F, 0, (size_t)H * sizeof(RT));
        }
        for (size_t i = i0; i < i1; i++)
            memcpy(a + i * gh, bias, (size_t)gh * sizeof(RT));
        if (l->kind == NN_GRU) {
            /* a = x Wx + bx on the r z n blocks; ah = h Wh + bh in scratch */
            const RT *bh = bias + gh;
            RT *ah = scratch, *h = scratch + B * gh + i0 * H;
            for (size_t i = i0; i < i1; i++)
                memcpy(ah + i * gh, bh, (size_t)gh * sizeof(RT));
            RGEMM(0, (int)m, gh, F, z + i0 * zw, zw, w, gh, 1, a + i0 * gh, gh);
            RGEMM(0, (int)m, gh, H, z + i0 * zw + F, zw, wh, gh, 1, ah + i0 * gh, gh);
            RT *hn = call + (size_t)t * B * H;
            for (size_t i = i0; i < i1; i++) {
                RT *ai = a + i * gh, *ahi = ah + i * gh, *hp = z + i * zw + F;
                for (int j = 0; j < 2 * H; j++)
                    ai[j] += ahi[j];
                RSIGM(ai, 2 * (size_t)H); /* r, u */
                for (int j = 0; j < H; j++) {
                    hn[i * H + j] = ahi[2 * H + j];
                    ai[2 * H + j] += ai[j] * ahi[2 * H + j];
                }
                RTANH(ai + 2 * H, (size_t)H); /* n */
                for (int j = 0; j < H; j++) {
                    RT u = ai[H + j];
                    h[j] = (1 - u) * ai[2 * H + j] + u * hp[j];
                }
                RN(put_h)(l, z, (int)B, t, (int)i, h);
            }
            continue;
        }
        RGEMM(0, (int)m, gh, zw, z + i0 * zw, zw, w, gh, 1, a + i0 * gh, gh);
        if (l->kind == NN_RNN) {
            RTANH(a + i0 * gh, m * H);
            for (size_t i = i0; i < i1; i++)
                RN(put_h)(l, z, (int)B, t, (int)i, a + i * gh);
            continue;
        }
        RT *c = call + (size_t)t * B * H, *tc = tall + (size_t)t * B * H;
        const RT *cp = t ? c - B * H : NULL;
        for (size_t i = i0; i < i1; i++) {
            RT *ai = a + i * gh;
            RSIGM(ai, 2 * (size_t)H);     /* i, f */
            RTANH(ai + 2 * H, (size_t)H);    /* g */
            RSIGM(ai + 3 * H, (size_t)H); /* o */
            for (int j = 0; j < H; j++) {
                RT cv = ai[j] * ai[2 * H + j] + (cp ? ai[H + j] * cp[i * H + j] : 0);
                c[i * H + j] = cv;
                tc[i * H + j] = cv;
            }
        }
        RTANH(tc + i0 * H, m * H);
        RT *h = scratch + i0 * H;
        for (size_t i = i0; i < i1; i++) {
            const RT *ai = a + i * gh, *tci = tc + i * H;
            for (int j = 0; j < H; j++)
                h[j] = ai[3 * H + j] * tci[j];
            RN(put_h)(l, z, (int)B, t, (int)i, h);
        }
    }
}

/*
 * One example's LSTM step backward: a its gates (i f g o), tc tanh(c_t),
 * cp c_{t-1}; dh the gradient by h_t; dc by c_t from step t+1 in, by
 * c_{t-1} out; da the gradient by the pre-activations.
 */
HOT static void
RN(lstm_gates_back)(const RT *restrict a, const RT *restrict tc, const RT *restrict cp,
                    const RT *restrict dh, RT *restrict dc, RT *restrict da, int H)
{
    for (int j = 0; j < H; j++) {
        RT ig = a[j], fg = a[H + j], gg = a[2 * H + j], og = a[3 * H + j];
        RT th = tc[j], dhk = dh[j];
        RT dck = dc[j] + dhk * og * (1 - th * th);
        da[j] = dck * gg * ig * (1 - ig);
        da[H + j] = dck * cp[j] * fg * (1 - fg);
        da[2 * H + j] = dck * ig * (1 - gg * gg);
        da[3 * H + j] = dhk * th * og * (1 - og);
        dc[j] = dck * fg;
    }
}

/* The loss's gradient by h_t coming from the output, added into dh (rows i0..i1). */
static void
RN(add_dout)(const struct nn_layer *l, RT *dh, int i0, int i1, int t)
{
    int H = l->units, T = l->in_t;
    for (int i = i0; i < i1; i++) {
        const double *d = NULL;
        if (l->same)
            d = l->dout + ((size_t)i * T + t) * H;
        else if (t == T - 1)
            d = l->dout + (size_t)i * H;
        if (d)
            for (int j = 0; j < H; j++)
                dh[(size_t)i * H + j] += (RT)d[j];
    }
}

/* Backward through time over examples [i0, i1). */
static void
RN(backward_rows)(struct rnn_job *jb)
{
    struct nn_layer *l = jb->l;
    double *dx = jb->dx;
    int F = l->in_f, H = l->units, T = l->in_t, G = rnn_gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)jb->b, i0 = (size_t)jb->i0, i1 = (size_t)jb->i1, m = i1 - i0;
    RT *zall = (RT *)l->cache, *aall = zall + (size_t)T * B * zw;
    RT *call = aall + (size_t)T * B * gh, *tall = call + (size_t)T * B * H;
    int zp = (zw + 7) / 8 * 8;
    RT *daall = (RT *)l->work, *dz = daall + (size_t)T * B * gh;
    RT *dh = dz + B * zp, *dc = dh + B * H, *dah = dc + B * H, *wt = dah + B * gh;
    if (m == 0)
        return;
    memset(dh + i0 * H, 0, m * H * sizeof(RT));
    memset(dc + i0 * H, 0, m * H * sizeof(RT));
    if (l->kind == NN_LSTM) /* c_{-1} = 0, [B][H] (the GRU's dah rows are [B][3H]) */
        memset(dah + i0 * H, 0, m * H * sizeof(RT));
    for (int t = T - 1; t >= 0; t--) {
        RT *z = zall + (size_t)t * B * zw, *a = aall + (size_t)t * B * gh;
        RT *da = daall + (size_t)t * B * gh;
        RN(add_dout)(l, dh, (int)i0, (int)i1, t);
        if (l->kind == NN_RNN) {
            for (size_t k = i0 * H; k < i1 * H; k++)
                da[k] = dh[k] * (1 - a[k] * a[k]);
        } else if (l->kind == NN_LSTM) {
            for (size_t i = i0; i < i1; i++)
                RN(lstm_gates_back)(a + i * gh, tall + ((size_t)t * B + i) * H,
                                    t ? call + ((size_t)(t - 1) * B + i) * H : dah + i * H,
                                    dh + i * H, dc + i * H, da + i * gh, H);
        } else {
            const RT *hn = call + (size_t)t * B * H;
            for (size_t i = i0; i < i1; i++) {
                const RT *ai = a + i * gh, *hp = z + i * zw + F;
                RT *di = da + i * gh, *dhi = dah + i * gh;
                for (int j = 0; j < H; j++) {
                    size_t k = i * H + j;
                    RT r = ai[j], u = ai[H + j], n = ai[2 * H + j], dhk = dh[k];
                    RT dan = dhk * (1 - u) * (1 - n * n);
                    RT dar = dan * hn[k] * r * (1 - r);
                    RT dau = dhk * (hp[j] - n) * u * (1 - u);
                    di[j] = dhi[j] = dar;
                    di[H + j] = dhi[H + j] = dau;
                    di[2 * H + j] = dan;
                    dhi[2 * H + j] = dan * r;
                    dh[k] = dhk * u; /* the direct path; Wh's added below */
                }
            }
        }
        if (l->kind == NN_GRU) {
            /* dh_{t-1} = dh * u + dah Wh^T */
            RGEMM(0, (int)m, H, gh, dah + i0 * gh, gh, wt + F, zp, 1, dh + i0 * H, H);
            /* keep dah for the Wh gradient: store it over a (no longer needed) */
            memcpy(a + i0 * gh, dah + i0 * gh, m * gh * sizeof(RT));
        } else {
            /* dh_{t-1} = da Wh^T (W^T's rows hold Wx^T then Wh^T) */
            RGEMM(0, (int)m, H, gh, da + i0 * gh, gh, wt + F, zp, 0, dh + i0 * H, H);
        }
        if (dx) { /* dx_t = da Wx^T, through dz's rows */
            RGEMM(0, (int)m, F, gh, da + i0 * gh, gh, wt, zp, 0, dz + i0 * F, F);
            for (size_t i = i0; i < i1; i++) {
                double *dxi = dx + (i * T + t) * F;
                for (int k = 0; k < F; k++)
                    dxi[k] = dz[i * F + k];
            }
        }
    }
}

/* s[j] = the sum over r < rows of v[r * ld + j], j < n, in row order (in double). */
HOT static void
RN(rnn_col_sums)(double *restrict s, const RT *restrict v, size_t rows, int ld, int n)
{
    for (int j = 0; j < n; j++)
        s[j] = 0;
    for (size_t r = 0; r < rows; r++)
        for (int j = 0; j < n; j++)
            s[j] += v[r * ld + j];
}

/*
 * Rows [i0, i1) of the weight gradient dW = z^T da (into gw, then g when
 * gw is not g) and columns of the bias's.
 */
static void
RN(weights_rows)(struct rnn_job *jb)
{
    struct nn_layer *l = jb->l;
    double *g = jb->g;
    RT *gw = jb->gw;
    int F = l->in_f, H = l->units, T = l->in_t, G = rnn_gates(l), zw = F + H, gh = G * H;
    size_t rows = (size_t)T * jb->b;
    RT *zall = (RT *)l->cache, *aall = zall + rows * zw, *daall = (RT *)l->work;
    double *gb = g + (size_t)zw * gh;
    int r0 = jb->i0, r1 = jb->i1;
    /* GRU: Wh's rows (from F on) pair h with dah, kept over a */
    int split = l->kind == NN_GRU ? F : zw;
    int e0 = r1 < split ? r1 : split, s1 = r0 > split ? r0 : split;
    if (e0 > r0)
        RGEMM(1, e0 - r0, gh, (int)rows, zall + r0, zw, daall, gh, 0, gw + (size_t)r0 * gh, gh);
    if (r1 > s1)
        RGEMM(1, r1 - s1, gh, (int)rows, zall + s1, zw, aall, gh, 0, gw + (size_t)s1 * gh, gh);
    if ((void *)gw != (void *)g)
        for (size_t k = (size_t)r0 * gh; k < (size_t)r1 * gh; k++)
            g[k] = gw[k];
    /* the bias columns [c0, c1), split as the rows are */
    int c0 = (int)((long long)gh * r0 / zw), c1 = (int)((long long)gh * r1 / zw);
    if (r1 == zw)
        c1 = gh;
    RN(rnn_col_sums)(gb + c0, daall + c0, rows, gh, c1 - c0);
    if (l->kind == NN_GRU)
        RN(rnn_col_sums)(gb + gh + c0, aall + c0, rows, gh, c1 - c0);
}

static void *
RN(job_forward)(void *a)
{
    RN(forward_rows)(a);
    return NULL;
}

static void *
RN(job_backward)(void *a)
{
    RN(backward_rows)(a);
    return NULL;
}

static void *
RN(job_weights)(void *a)
{
    RN(weights_rows)(a);
    return NULL;
}

/* W^T into wt ([G*H][zp], rows padded with zeros), from w ([F+H][G*H]). */
static void
RN(transpose)(const RT *w, RT *wt, int zw, int gh, int zp)
{
    memset(wt, 0, (size_t)gh * zp * sizeof(RT));
    for (int r = 0; r < zw; r++)
        for (int j = 0; j < gh; j++)
            wt[(size_t)j * zp + r] = w[(size_t)r * gh + j];
}

#endif
