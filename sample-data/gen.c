/*
 * gen.c: seeded generator of quarry's sample data, a fictional shop.
 *
 * Usage: gen OUTDIR [SEED].  Writes customers, orders, order items, a browsing-event
 * log and the ground truth it planted (segments, behaviour types, monthly expected
 * value, bundles, defects, truth.md) into OUTDIR.  The same seed gives byte-identical
 * files: the generator has its own PRNG (xoshiro256**, seeded by splitmix64), keeps
 * money in integer cents, formats dates itself and never reads the clock or locale.
 *
 * Central structures: the product catalog (products[]), the segment table
 * (segments[]), one struct customer per customer and one struct order per order, whose
 * lines sit in a shared items array.  Every random decision draws from a stream keyed by
 * (seed, purpose, customer or order), so changing one part leaves the others alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_CUSTOMERS 5000
#define N_MONTHS 24          /* 2023-01 .. 2024-12 */
#define DAY_SECS 86400
#define DEFAULT_SEED 20240601u

/* ---- PRNG: splitmix64 seeds xoshiro256** (Blackman and Vigna, 2018) ---- */

struct rng {
    uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed, uint64_t purpose, uint64_t key)
{
    uint64_t x = seed ^ (purpose * 0xD1B54A32D192ED03ull) ^ (key * 0x8CB92BA72F3D8DD7ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* uniform in [0, 1) with 53 random bits */
static double
rng_unif(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* uniform integer in [lo, hi] */
static int
rng_range(struct rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int)(((rng_next(r) >> 32) * span) >> 32);
}

/* index drawn with probability proportional to w[i] */
static int
rng_pick(struct rng *r, const double *w, int n)
{
    double sum = 0.0, u;
    for (int i = 0; i < n; i++)
        sum += w[i];
    u = rng_unif(r) * sum;
    for (int i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

/* ---- dates: days since 1970-01-01 (Hinnant's civil-date algorithms) ---- */

static int
days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
civil_from_days(int z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static void
fmt_date(int day, char *buf, size_t size)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

static void
fmt_ts(int64_t t, char *buf, size_t size)
{
    int y, m, d;
    int day = (int)(t / DAY_SECS), sec = (int)(t % DAY_SECS);
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, sec / 3600, sec / 60 % 60,
             sec % 60);
}

static void
fmt_cents(int64_t c, char *buf, size_t size)
{
    snprintf(buf, size, "%s%lld.%02lld", c < 0 ? "-" : "", (long long)(c < 0 ? -c : c) / 100,
             (long long)(c < 0 ? -c : c) % 100);
}

/* 0 = Sunday */
static int
weekday(int day)
{
    return (day + 4) % 7;
}

/* ---- the planted world ---- */

enum { GROCERY, BEAUTY, BOOKS, FASHION, HOME, OUTDOOR, ELECTRONICS, N_CAT };
static const char *const cat_names[N_CAT] = {
    "grocery", "beauty", "books", "fashion", "home", "outdoor", "electronics",
};

struct product {
    const char *name;
    int cat;
    int cents;
};

/*
 * The catalog, prices in cents.  A bundle's anchor (its first product) is sold only in
 * its bundle; the other bundle members are also ordinary products.
 */
static const struct product products[] = {
    {"Rice 1kg", GROCERY, 249}, {"Olive oil 1l", GROCERY, 799}, {"Bread loaf", GROCERY, 229},
    {"Milk 1l", GROCERY, 119}, {"Eggs, dozen", GROCERY, 349}, {"Apples 1kg", GROCERY, 279},
    {"Chocolate bar", GROCERY, 189}, {"Breakfast cereal", GROCERY, 399},
    {"Tea, 40 bags", GROCERY, 329}, {"Orange juice 1l", GROCERY, 259},
    {"Pasta 500g", GROCERY, 179}, {"Tomato sauce", GROCERY, 239},
    {"Parmesan 200g", GROCERY, 489},
    {"Shampoo", BEAUTY, 549}, {"Toothpaste", BEAUTY, 299}, {"Hand cream", BEAUTY, 799},
    {"Face serum", BEAUTY, 2499}, {"Lip balm", BEAUTY, 399}, {"Shower gel", BEAUTY, 449},
    {"Eau de toilette 50ml", BEAUTY, 3900}, {"Sunscreen SPF50", BEAUTY, 1299},
    {"Deodorant", BEAUTY, 399},
    {"Paperback novel", BOOKS, 999}, {"Cookbook", BOOKS, 2499}, {"Travel guide", BOOKS, 1899},
    {"Children's book", BOOKS, 899}, {"Notebook", BOOKS, 499}, {"Comic album", BOOKS, 1499},
    {"Crossword book", BOOKS, 699},
    {"T-shirt", FASHION, 1499}, {"Jeans", FASHION, 4999}, {"Sneakers", FASHION, 7999},
    {"Summer dress", FASHION, 3999}, {"Socks, 5-pack", FASHION, 999},
    {"Rain jacket", FASHION, 8999}, {"Sunglasses", FASHION, 2999},
    {"Wool scarf", FASHION, 2499}, {"Swimsuit", FASHION, 3499},
    {"Bath towel", HOME, 1999}, {"Bed sheets", HOME, 3999}, {"Frying pan", HOME, 3499},
    {"Knife set", HOME, 5999}, {"Desk lamp", HOME, 2999}, {"Scented candle", HOME, 1299},
    {"Storage box", HOME, 899}, {"Coffee mug", HOME, 799}, {"Vacuum cleaner", HOME, 14999},
    {"Crème brûlée torch", HOME, 1999}, {"Espresso machine", HOME, 24900},
    {"Coffee beans 1kg", HOME, 1890},
    {"Garden hose", OUTDOOR, 2999}, {"Barbecue grill", OUTDOOR, 19999},
    {"Picnic blanket", OUTDOOR, 2499}, {"Water bottle", OUTDOOR, 1499},
    {"Bicycle helmet", OUTDOOR, 4999}, {"Camping chair", OUTDOOR, 3999},
    {"Beach towel", OUTDOOR, 1999}, {"Camping tent", OUTDOOR, 18900},
    {"Sleeping bag", OUTDOOR, 7900}, {"Camping lantern", OUTDOOR, 2900},
    {"Yoga mat", OUTDOOR, 3500}, {"Yoga block", OUTDOOR, 1200},
    {"USB cable", ELECTRONICS, 999}, {"Headphones", ELECTRONICS, 7999},
    {"Bluetooth speaker", ELECTRONICS, 5999}, {"Smartwatch", ELECTRONICS, 19999},
    {"Tablet", ELECTRONICS, 32900}, {"Laptop", ELECTRONICS, 89900},
    {"E-reader", ELECTRONICS, 12999}, {"Power bank", ELECTRONICS, 2999},
    {"Wireless mouse", ELECTRONICS, 2499}, {"Monitor", ELECTRONICS, 24999},
    {"Smartphone X", ELECTRONICS, 69900}, {"Phone case", ELECTRONICS, 1900},
    {"Screen protector", ELECTRONICS, 1200},
};
#define N_PROD ((int)(sizeof products / sizeof products[0]))
#define REGULAR_MAX 16

/* A bundle: the anchor is always bought, each other member with its own probability. */
#define N_BUNDLE 5
#define BUNDLE_MAX 3
struct bundle {
    const char *name;
    int n;
    const char *members[BUNDLE_MAX];
    double p_incl[BUNDLE_MAX];
};
static const struct bundle bundles[N_BUNDLE] = {
    {"camping", 3, {"Camping tent", "Sleeping bag", "Camping lantern"}, {1.0, 0.85, 0.70}},
    {"espresso", 2, {"Espresso machine", "Coffee beans 1kg"}, {1.0, 0.90, 0}},
    {"smartphone", 3, {"Smartphone X", "Phone case", "Screen protector"}, {1.0, 0.90, 0.75}},
    {"pasta", 3, {"Pasta 500g", "Tomato sauce", "Parmesan 200g"}, {1.0, 0.90, 0.80}},
    {"yoga", 2, {"Yoga mat", "Yoga block"}, {1.0, 0.80, 0}},
};

enum { SIMPLE, DETERMINISTIC, HABITUAL, PREFERENCE, N_BEHAV };
static const char *const behav_names[N_BEHAV] = {
    "simple", "deterministic", "habitual", "preference",
};

struct segment {
    const char *name;
    double share;
    double rate;            /* orders per customer-month at season 1 and trend 1 */
    int active_min;         /* dormant: months of activity from 2023-01, else 0 */
    int active_max;
    double late_signup;     /* share who sign up between 2023-01-01 and 2024-06-30 */
    double cat_pref[N_CAT]; /* category of each regular line */
    double p_extra;         /* regular lines = 1 + Binomial(3, p_extra) */
    double qty[4];          /* P(quantity = 1, 2, 3, 4) */
    double p_bundle;        /* P(an order holds a bundle) */
    double bundle_w[N_BUNDLE];
    double behav[N_BEHAV];
    double age_mean;
    double age_sd;
};
#define N_SEG 5
static const struct segment segments[N_SEG] = {
    {"champions", 0.08, 1.40, 0, 0, 0.05, {.05, .10, .00, .20, .25, .15, .25}, 0.25,
     {.80, .15, .05, 0}, 0.20, {.30, .30, .20, .05, .15}, {.10, .25, .35, .30}, 38, 9},
    {"loyal", 0.24, 0.45, 0, 0, 0.10, {.05, .15, .10, .35, .35, .00, .00}, 0.25,
     {.80, .15, .05, 0}, 0.15, {.10, .15, .00, .35, .40}, {.15, .20, .40, .25}, 45, 12},
    {"bargain_hunters", 0.21, 1.20, 0, 0, 0.10, {.60, .20, .15, .00, .05, .00, .00}, 0.20,
     {.50, .30, .15, .05}, 0.25, {.00, .00, .00, .80, .20}, {.25, .15, .35, .25}, 29, 8},
    {"big_spenders", 0.17, 0.20, 0, 0, 0.10, {.00, .00, .00, .10, .15, .20, .55}, 0.10,
     {.80, .15, .05, 0}, 0.30, {.35, .25, .40, .00, .00}, {.15, .50, .05, .30}, 52, 10},
    {"dormant", 0.30, 1.00, 2, 5, 0.00, {.10, .25, .15, .30, .20, .00, .00}, 0.15,
     {.80, .15, .05, 0}, 0.10, {.00, .20, .00, .30, .50}, {.55, .15, .10, .20}, 35, 13},
};

/* order-rate multiplier by calendar month: mean 1, peak June to August */
static const double season[12] = {
    0.78, 0.75, 0.86, 0.92, 1.00, 1.24, 1.38, 1.30, 0.98, 0.88, 0.92, 0.99,
};
/* growth: month m (0 = 2023-01) has trend 1 + m / TREND_DIV, about +10% a year */
#define TREND_DIV 120.0
/* relative weight of each hour of the day for order and session times */
static const double hour_w[24] = {
    1, .6, .4, .3, .3, .5, 1, 2, 3, 4, 5, 6, 7, 6, 5, 5, 5, 6, 7, 8, 8, 7, 5, 3,
};

/* browsing: sessions per customer-month without a purchase, by behaviour type */
static const double session_rate[N_BEHAV] = {2.0, 0.6, 1.2, 1.5};
#define HABIT_FAVS 3
#define HABIT_P_FAV 0.70    /* habitual: P(a regular line is one of the favourites) */
#define HABIT_WDAY_W 3.0    /* habitual: weight of the favourite weekday (others 1) */
#define HABIT_P_HOUR 0.80   /* habitual: P(order placed in the favourite hour) */
#define PREF_P_FAVCAT 0.85  /* preference: P(a browsed product is in the favourite category) */
#define PREF_P_WISH 0.25    /* preference: P(wishlist after a browsing view) */
#define PREF_P_CART 0.06    /* preference: P(abandoned cart after a browsing view) */
#define PREF_P_EARLY 0.60   /* preference: P(a bought product was wishlisted 1-20 days before) */
#define SIMPLE_P_CART 0.04  /* simple: P(abandoned cart per browsing session) */
#define OTHER_P_CART 0.03   /* deterministic, habitual: P(abandoned cart per session) */
#define OTHER_P_WISH 0.03   /* all but preference: P(wishlist per browsing session) */

/* defects */
#define P_MISS_AMOUNT 0.020
#define P_MISS_CUSTOMER 0.005
#define P_BAD_DATE 0.002
#define N_EXTREME 20
#define P_DUPLICATE 0.005
#define P_MISS_AGE 0.03
#define P_MISS_CITY 0.02
#define P_MISS_SIGNUP 0.01

/* RNG purposes */
enum { R_CUST = 1, R_ORDERS, R_FUNNEL, R_BROWSE, R_DEFECT, R_SHUFFLE };

static const char *const first_names[] = {
    "Anna", "Ben", "Carla", "David", "Elena", "Finn", "Greta", "Hugo", "Ines", "Jonas",
    "Klara", "Liam", "Maria", "Noah", "Olivia", "Paul", "Rosa", "Sam", "Tara", "Victor",
    "Zoë", "José", "François", "Søren", "Łukasz", "Chloé", "Renée", "Björn", "Ana Sofía",
    "Jürgen", "Mikael", "Nuno", "Aoife", "Sanjay", "Mei", "Yusuf", "Leïla", "Ólafur",
};
static const char *const last_names[] = {
    "Smith", "Jones", "Müller", "García", "Silva", "Rossi", "Novak", "Dubois", "Jansen",
    "Nielsen", "Kowalski", "O'Brien", "Ødegaard", "Núñez", "Dvořák", "Björk", "Lefèvre",
    "Weber", "Costa", "Schmidt", "Moreau", "Ferreira", "Horváth", "Andersen", "Brown",
    "Martin", "Rodríguez", "Fischer", "Virtanen", "Nowak", "Papadopoulos", "Şahin",
};
#define N_FIRST ((int)(sizeof first_names / sizeof first_names[0]))
#define N_LAST ((int)(sizeof last_names / sizeof last_names[0]))

static const char *const cities[] = {
    "Lisbon", "Porto", "Madrid", "Zürich", "Kraków", "Malmö", "Montréal", "São Paulo",
    "Berlin", "Paris", "Amsterdam", "Dublin", "Vienna", "Copenhagen", "Milan", "Brno",
    "Reykjavík", "Washington, D.C.", "London", "Oslo",
};
static const double city_w[] = {
    6, 4, 8, 3, 3, 2, 4, 5, 9, 9, 5, 4, 4, 3, 5, 2, 1, 3, 10, 3,
};
#define N_CITY ((int)(sizeof cities / sizeof cities[0]))

/* ---- generated state ---- */

struct customer {
    int id;
    int seg;
    int behav;
    int signup;               /* day number */
    int start, end;           /* ordering allowed on days [start, end) */
    double rate_mult;         /* triangular on [0.6, 1.4], mean 1 */
    int favs[HABIT_FAVS];     /* habitual: products bought again and again */
    int fav_cat;              /* preference: category browsed most */
    int fav_wday, fav_hour;   /* habitual: when orders are placed */
    char name[80];
    int city, age;
    double exp_amount;        /* planted expected order amount, cents */
};

struct item {
    int product;
    int qty;
};

struct order {
    int64_t ts;
    int cust;                 /* index into the customer array (= id - 1) */
    int seq;                  /* generation order, for a stable sort */
    int first_item, n_items;
    int64_t cents;
};

struct event {
    int64_t ts;
    int cust;
    int kind;
    int product;
    int seq;
};
enum { EV_VIEW, EV_CART, EV_WISHLIST, EV_PURCHASE };
static const char *const ev_names[] = {"view", "cart", "wishlist", "purchase"};

enum { D_NONE, D_MISS_AMOUNT, D_MISS_CUSTOMER, D_BAD_DATE, D_EXTREME, D_DUPLICATE };

struct world {
    uint64_t seed;
    int month_start[N_MONTHS + 1]; /* day numbers of 2023-01-01 .. 2025-01-01 */
    int ev_start;                  /* first day of the browsing log */
    int regular[N_CAT][REGULAR_MAX]; /* regular products per category */
    int n_regular[N_CAT];
    int bundle_prod[N_BUNDLE][BUNDLE_MAX];
    double cat_mean[N_CAT];        /* mean price of a regular product, cents */
    double bundle_mean[N_BUNDLE];  /* expected bundle value, cents */
    struct customer *cust;
    struct order *orders;
    size_t n_orders, cap_orders;
    struct item *items;
    size_t n_items, cap_items;
    struct event *events;
    size_t n_events, cap_events;
    int ev_seq;
    double exp_orders[N_SEG][N_MONTHS];
    double exp_value[N_SEG][N_MONTHS]; /* summed over the segment's customers, cents */
    int seg_count[N_SEG];
    unsigned char *odefect;            /* per order */
    int64_t *extreme_cents;
    int n_defect[D_DUPLICATE + 1];
    int n_miss_age, n_miss_city, n_miss_signup;
};

static void *
grow(void *p, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap ? *cap : 4096;
    if (need <= *cap)
        return p;
    while (n < need)
        n *= 2;
    p = realloc(p, n * elem);
    if (!p) {
        fprintf(stderr, "gen: out of memory\n");
        exit(1);
    }
    *cap = n;
    return p;
}

static int
find_product(const char *name)
{
    for (int i = 0; i < N_PROD; i++)
        if (strcmp(products[i].name, name) == 0)
            return i;
    fprintf(stderr, "gen: bundle names unknown product '%s'\n", name);
    exit(1);
}

static void
world_init_catalog(struct world *w)
{
    char in_bundle[N_PROD] = {0};
    for (int b = 0; b < N_BUNDLE; b++)
        for (int k = 0; k < bundles[b].n; k++) {
            w->bundle_prod[b][k] = find_product(bundles[b].members[k]);
            in_bundle[w->bundle_prod[b][k]] = k == 0;
        }
    for (int p = 0; p < N_PROD; p++) {
        int c = products[p].cat;
        if (in_bundle[p])
            continue;
        if (w->n_regular[c] == REGULAR_MAX) {
            fprintf(stderr, "gen: more than %d products in '%s'\n", REGULAR_MAX, cat_names[c]);
            exit(1);
        }
        w->regular[c][w->n_regular[c]++] = p;
        w->cat_mean[c] += products[p].cents;
    }
    for (int c = 0; c < N_CAT; c++)
        w->cat_mean[c] /= w->n_regular[c];
    for (int b = 0; b < N_BUNDLE; b++)
        for (int k = 0; k < bundles[b].n; k++)
            w->bundle_mean[b] += bundles[b].p_incl[k] * products[w->bundle_prod[b][k]].cents;
    for (int m = 0; m <= N_MONTHS; m++)
        w->month_start[m] = days_from_civil(2023 + m / 12, m % 12 + 1, 1);
    w->ev_start = days_from_civil(2024, 7, 1);
}

static int
regular_in(struct rng *r, const struct world *w, int cat)
{
    return w->regular[cat][rng_range(r, 0, w->n_regular[cat] - 1)];
}

static double
mean_qty(const struct segment *s)
{
    return s->qty[0] + 2 * s->qty[1] + 3 * s->qty[2] + 4 * s->qty[3];
}

/* the expectation of the basket model in make_order(), for one customer */
static double
expected_amount(const struct world *w, const struct customer *c)
{
    const struct segment *s = &segments[c->seg];
    double line = 0.0, bsum = 0.0, bw = 0.0;
    for (int k = 0; k < N_CAT; k++)
        line += s->cat_pref[k] * w->cat_mean[k];
    if (c->behav == HABITUAL) {
        double fav = 0.0;
        for (int k = 0; k < HABIT_FAVS; k++)
            fav += products[c->favs[k]].cents;
        line = HABIT_P_FAV * fav / HABIT_FAVS + (1 - HABIT_P_FAV) * line;
    }
    for (int b = 0; b < N_BUNDLE; b++) {
        bsum += s->bundle_w[b] * w->bundle_mean[b];
        bw += s->bundle_w[b];
    }
    return (1 + 3 * s->p_extra) * mean_qty(s) * line + s->p_bundle * bsum / bw;
}

static void
make_customers(struct world *w)
{
    int segof[N_CUSTOMERS];
    struct customer *cs = calloc(N_CUSTOMERS, sizeof *cs);
    struct rng r;
    int n = 0, early0 = days_from_civil(2019, 1, 1), early1 = days_from_civil(2022, 12, 31);
    int late1 = days_from_civil(2024, 6, 30);

    if (!cs) {
        fprintf(stderr, "gen: out of memory\n");
        exit(1);
    }
    /* exact segment sizes, then shuffled */
    for (int s = 0; s < N_SEG; s++) {
        int k = s == N_SEG - 1 ? N_CUSTOMERS - n : (int)(segments[s].share * N_CUSTOMERS + 0.5);
        for (int i = 0; i < k; i++)
            segof[n++] = s;
    }
    rng_seed(&r, w->seed, R_SHUFFLE, 0);
    for (int i = N_CUSTOMERS - 1; i > 0; i--) {
        int j = rng_range(&r, 0, i), t = segof[i];
        segof[i] = segof[j];
        segof[j] = t;
    }
    for (int i = 0; i < N_CUSTOMERS; i++) {
        struct customer *c = &cs[i];
        const struct segment *s = &segments[segof[i]];
        double z = 0.0;
        rng_seed(&r, w->seed, R_CUST, (uint64_t)i);
        c->seg = segof[i];
        c->behav = rng_pick(&r, s->behav, N_BEHAV);
        if (rng_unif(&r) < s->late_signup)
            c->signup = rng_range(&r, w->month_start[0], late1);
        else
            c->signup = rng_range(&r, early0, early1);
        c->start = c->signup > w->month_start[0] ? c->signup : w->month_start[0];
        c->end = w->month_start[N_MONTHS];
        if (s->active_max > 0)
            c->end = w->month_start[rng_range(&r, s->active_min, s->active_max)];
        c->rate_mult = 0.6 + 0.4 * (rng_unif(&r) + rng_unif(&r));
        for (int k = 0; k < HABIT_FAVS; k++)
            c->favs[k] = regular_in(&r, w, rng_pick(&r, s->cat_pref, N_CAT));
        c->fav_cat = rng_pick(&r, s->cat_pref, N_CAT);
        c->fav_wday = rng_range(&r, 0, 6);
        c->fav_hour = rng_pick(&r, hour_w, 24);
        {
            const char *fn = first_names[rng_range(&r, 0, N_FIRST - 1)];
            const char *ln = last_names[rng_range(&r, 0, N_LAST - 1)];
            double u = rng_unif(&r);
            if (i == 7 || u < 0.004)
                snprintf(c->name, sizeof c->name, "%s %s, %s", fn, ln, u < 0.002 ? "Sr." : "Jr.");
            else if (i == 11 || u < 0.006)
                snprintf(c->name, sizeof c->name, "%s \"%s\" %s", fn,
                         u < 0.005 ? "Sunny" : "Doc", ln);
            else
                snprintf(c->name, sizeof c->name, "%s %s", fn, ln);
        }
        c->city = rng_pick(&r, city_w, N_CITY);
        for (int k = 0; k < 12; k++)
            z += rng_unif(&r);
        c->age = (int)(s->age_mean + s->age_sd * (z - 6.0) + 100.5) - 100;
        c->age = c->age < 18 ? 18 : c->age > 85 ? 85 : c->age;
        c->exp_amount = expected_amount(w, c);
        w->seg_count[c->seg]++;
    }
    /* ids follow signup order, as a shop's database would assign them */
    for (int i = 1; i < N_CUSTOMERS; i++) {
        struct customer t = cs[i];
        int j = i;
        while (j > 0 && cs[j - 1].signup > t.signup)
            cs[j] = cs[j - 1], j--;
        cs[j] = t;
    }
    for (int i = 0; i < N_CUSTOMERS; i++)
        cs[i].id = i + 1;
    w->cust = cs;
}

static int64_t
pick_time(struct rng *r, const struct customer *c, int day)
{
    int hour = rng_pick(r, hour_w, 24);
    if (c->behav == HABITUAL && rng_unif(r) < HABIT_P_HOUR)
        hour = c->fav_hour;
    return (int64_t)day * DAY_SECS + hour * 3600 + rng_range(r, 0, 3599);
}

static void
add_item(struct world *w, struct order *o, int product, int qty)
{
    for (int k = 0; k < o->n_items; k++) {
        struct item *it = &w->items[o->first_item + k];
        if (it->product == product) {
            it->qty += qty;
            o->cents += (int64_t)qty * products[product].cents;
            return;
        }
    }
    w->items = grow(w->items, &w->cap_items, w->n_items + 1, sizeof *w->items);
    w->items[w->n_items].product = product;
    w->items[w->n_items].qty = qty;
    w->n_items++;
    o->n_items++;
    o->cents += (int64_t)qty * products[product].cents;
}

/* the basket model; expected_amount() must stay its expectation */
static void
make_order(struct world *w, struct rng *r, const struct customer *c, int day)
{
    const struct segment *s = &segments[c->seg];
    struct order *o;
    int lines = 1;

    w->orders = grow(w->orders, &w->cap_orders, w->n_orders + 1, sizeof *w->orders);
    o = &w->orders[w->n_orders];
    memset(o, 0, sizeof *o);
    o->ts = pick_time(r, c, day);
    o->cust = c->id - 1;
    o->seq = (int)w->n_orders;
    o->first_item = (int)w->n_items;
    w->n_orders++;
    for (int k = 0; k < 3; k++)
        lines += rng_unif(r) < s->p_extra;
    for (int k = 0; k < lines; k++) {
        int p, q = 1 + rng_pick(r, s->qty, 4);
        if (c->behav == HABITUAL && rng_unif(r) < HABIT_P_FAV)
            p = c->favs[rng_range(r, 0, HABIT_FAVS - 1)];
        else
            p = regular_in(r, w, rng_pick(r, s->cat_pref, N_CAT));
        add_item(w, o, p, q);
    }
    if (rng_unif(r) < s->p_bundle) {
        int b = rng_pick(r, s->bundle_w, N_BUNDLE);
        for (int k = 0; k < bundles[b].n; k++)
            if (k == 0 || rng_unif(r) < bundles[b].p_incl[k])
                add_item(w, o, w->bundle_prod[b][k], 1);
    }
}

/*
 * Each active day holds an order with probability lambda_m * w_d / W_m, where lambda_m
 * is the customer's expected orders in month m, w_d the day's weight (habitual customers
 * favour one weekday) and W_m the weights summed over the whole month.  The expected
 * count is therefore known exactly and is summed into the monthly truth.
 */
static void
make_orders(struct world *w)
{
    for (int i = 0; i < N_CUSTOMERS; i++) {
        const struct customer *c = &w->cust[i];
        const struct segment *s = &segments[c->seg];
        struct rng r;
        rng_seed(&r, w->seed, R_ORDERS, (uint64_t)c->id);
        for (int m = 0; m < N_MONTHS; m++) {
            int d0 = w->month_start[m], d1 = w->month_start[m + 1];
            double lambda = s->rate * c->rate_mult * season[m % 12] * (1 + m / TREND_DIV);
            double wsum = 0.0, wact = 0.0, e;
            for (int d = d0; d < d1; d++)
                wsum += (c->behav == HABITUAL && weekday(d) == c->fav_wday) ? HABIT_WDAY_W : 1;
            for (int d = d0; d < d1; d++) {
                double wd = (c->behav == HABITUAL && weekday(d) == c->fav_wday) ? HABIT_WDAY_W
                                                                                : 1;
                if (d < c->start || d >= c->end)
                    continue;
                wact += wd;
                if (rng_unif(&r) < lambda * wd / wsum)
                    make_order(w, &r, c, d);
            }
            e = lambda * wact / wsum;
            w->exp_orders[c->seg][m] += e;
            w->exp_value[c->seg][m] += e * c->exp_amount;
        }
    }
}

static int
cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
add_event(struct world *w, int64_t ts, int cust, int kind, int product)
{
    struct event *e;
    w->events = grow(w->events, &w->cap_events, w->n_events + 1, sizeof *w->events);
    e = &w->events[w->n_events++];
    e->ts = ts;
    e->cust = cust;
    e->kind = kind;
    e->product = product;
    e->seq = w->ev_seq++;
}

static int
browse_product(struct rng *r, const struct world *w, const struct customer *c)
{
    const struct segment *s = &segments[c->seg];
    switch (c->behav) {
    case HABITUAL:
        return c->favs[rng_range(r, 0, HABIT_FAVS - 1)];
    case PREFERENCE:
        if (rng_unif(r) < PREF_P_FAVCAT)
            return regular_in(r, w, c->fav_cat);
        return rng_range(r, 0, N_PROD - 1);
    case DETERMINISTIC:
        return regular_in(r, w, rng_pick(r, s->cat_pref, N_CAT));
    default:
        return rng_range(r, 0, N_PROD - 1);
    }
}

/*
 * The events around one order: optional earlier wishlisting (preference), then one
 * session that views each product, adds it to the cart and buys everything at the order's
 * timestamp.  Times are laid out backwards from the order.
 */
static void
order_funnel(struct world *w, const struct order *o, int order_id)
{
    static const int gap_lo[N_BEHAV] = {20, 15, 10, 30}, gap_hi[N_BEHAV] = {120, 60, 40, 240};
    const struct customer *c = &w->cust[o->cust];
    int plan_kind[32], plan_prod[32], n = 0, extra = 0;
    int64_t t;
    struct rng r;

    rng_seed(&r, w->seed, R_FUNNEL, (uint64_t)order_id);
    if (c->behav == SIMPLE)
        extra = rng_range(&r, 0, 2);
    else if (c->behav == PREFERENCE)
        extra = rng_range(&r, 1, 3);
    for (int k = 0; k < extra; k++) {
        plan_kind[n] = EV_VIEW;
        plan_prod[n++] = browse_product(&r, w, c);
    }
    for (int k = 0; k < o->n_items && n + 2 <= 32; k++) {
        int p = w->items[o->first_item + k].product;
        if (c->behav == PREFERENCE && rng_unif(&r) < PREF_P_EARLY) {
            int64_t early = o->ts - (int64_t)rng_range(&r, 1, 20) * DAY_SECS
                            - rng_range(&r, 0, DAY_SECS / 2);
            if (early >= (int64_t)w->ev_start * DAY_SECS) {
                add_event(w, early, o->cust, EV_VIEW, p);
                add_event(w, early + rng_range(&r, 5, 90), o->cust, EV_WISHLIST, p);
            }
        }
        plan_kind[n] = EV_VIEW;
        plan_prod[n++] = p;
        plan_kind[n] = EV_CART;
        plan_prod[n++] = p;
    }
    t = o->ts;
    for (int k = n - 1; k >= 0; k--) {
        t -= rng_range(&r, gap_lo[c->behav], gap_hi[c->behav]);
        add_event(w, t, o->cust, plan_kind[k], plan_prod[k]);
    }
    for (int k = 0; k < o->n_items; k++)
        add_event(w, o->ts, o->cust, EV_PURCHASE, w->items[o->first_item + k].product);
}

/* sessions that end without a purchase, from ev_start to the end of 2024 */
static void
browse_sessions(struct world *w, const struct customer *c)
{
    static const int views_lo[N_BEHAV] = {1, 1, 1, 2}, views_hi[N_BEHAV] = {3, 1, 2, 4};
    double p = session_rate[c->behav] * 12.0 / 366.0;
    int64_t end = (int64_t)w->month_start[N_MONTHS] * DAY_SECS;
    size_t first;
    struct rng r;

    rng_seed(&r, w->seed, R_BROWSE, (uint64_t)c->id);
    first = w->n_events;
    for (int d = w->ev_start; d < w->month_start[N_MONTHS]; d++) {
        int64_t t;
        int nv, last = -1;
        if (rng_unif(&r) >= p)
            continue;
        t = pick_time(&r, c, d);
        nv = rng_range(&r, views_lo[c->behav], views_hi[c->behav]);
        for (int k = 0; k < nv; k++) {
            last = browse_product(&r, w, c);
            add_event(w, t, c->id - 1, EV_VIEW, last);
            t += rng_range(&r, 15, 180);
            if (c->behav == PREFERENCE && rng_unif(&r) < PREF_P_WISH) {
                add_event(w, t, c->id - 1, EV_WISHLIST, last);
                t += rng_range(&r, 10, 60);
            }
            if (c->behav == PREFERENCE && rng_unif(&r) < PREF_P_CART) {
                add_event(w, t, c->id - 1, EV_CART, last);
                t += rng_range(&r, 10, 60);
            }
        }
        if (c->behav != PREFERENCE && rng_unif(&r) < OTHER_P_WISH) {
            add_event(w, t, c->id - 1, EV_WISHLIST, last);
            t += rng_range(&r, 10, 60);
        }
        if (c->behav != PREFERENCE
            && rng_unif(&r) < (c->behav == SIMPLE ? SIMPLE_P_CART : OTHER_P_CART))
            add_event(w, t, c->id - 1, EV_CART, last);
    }
    /* a session started late on 31 December is cut at midnight: the log ends there */
    while (w->n_events > first && w->events[w->n_events - 1].ts >= end)
        w->n_events--;
}

static int
cmp_event(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    if (x->cust != y->cust)
        return x->cust < y->cust ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
make_events(struct world *w)
{
    int64_t from = (int64_t)w->ev_start * DAY_SECS;
    for (size_t i = 0; i < w->n_orders; i++)
        if (w->orders[i].ts >= from)
            order_funnel(w, &w->orders[i], (int)i + 1);
    for (int i = 0; i < N_CUSTOMERS; i++)
        browse_sessions(w, &w->cust[i]);
    qsort(w->events, w->n_events, sizeof *w->events, cmp_event);
}

/* disjoint random sets of orders get one defect kind each */
static void
plant_defects(struct world *w)
{
    size_t n = w->n_orders;
    int *perm = malloc(n * sizeof *perm);
    size_t at = 0;
    struct rng r;
    struct {
        int kind;
        size_t count;
    } plan[] = {
        {D_MISS_AMOUNT, (size_t)(P_MISS_AMOUNT * n + 0.5)},
        {D_MISS_CUSTOMER, (size_t)(P_MISS_CUSTOMER * n + 0.5)},
        {D_BAD_DATE, (size_t)(P_BAD_DATE * n + 0.5)},
        {D_EXTREME, N_EXTREME},
        {D_DUPLICATE, (size_t)(P_DUPLICATE * n + 0.5)},
    };

    w->odefect = calloc(n, 1);
    w->extreme_cents = calloc(n, sizeof *w->extreme_cents);
    if (!perm || !w->odefect || !w->extreme_cents) {
        fprintf(stderr, "gen: out of memory\n");
        exit(1);
    }
    rng_seed(&r, w->seed, R_DEFECT, 0);
    for (size_t i = 0; i < n; i++)
        perm[i] = (int)i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)rng_range(&r, 0, (int)i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++)
        for (size_t i = 0; i < plan[k].count && at < n; i++, at++) {
            int o = perm[at];
            w->odefect[o] = (unsigned char)plan[k].kind;
            w->n_defect[plan[k].kind]++;
            if (plan[k].kind == D_EXTREME)
                w->extreme_cents[o] = w->orders[o].cents * rng_range(&r, 50, 100);
        }
    free(perm);
}

static void
bad_date(struct rng *r, const struct order *o, char *buf, size_t size)
{
    int y, m, d, kind = rng_range(r, 0, 4);
    civil_from_days((int)(o->ts / DAY_SECS), &y, &m, &d);
    switch (kind) {
    case 0:
        snprintf(buf, size, "%04d-13-%02d", y, rng_range(r, 32, 45));
        break;
    case 1:
        snprintf(buf, size, "%d/02/%04d", rng_range(r, 30, 31), y);
        break;
    case 2:
        snprintf(buf, size, "%04d-02-30T%02d:00:00", y, rng_range(r, 8, 20));
        break;
    case 3:
        snprintf(buf, size, "%04d-%02d-%02dT25:61:00", y, m, d);
        break;
    default:
        snprintf(buf, size, "%s", rng_unif(r) < 0.5 ? "yesterday" : "last week");
        break;
    }
}

/* ---- output ---- */

static FILE *
open_out(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "gen: cannot write '%s'\n", path);
        exit(1);
    }
    return f;
}

static void
close_out(FILE *f, const char *name)
{
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "gen: error writing '%s'\n", name);
        exit(1);
    }
}

/* one RFC 4180 field, quoted when it holds a comma, quote or line break */
static void
csv_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

static void
csv_int(FILE *f, long long v, int last)
{
    fprintf(f, "%lld%c", v, last ? '\n' : ',');
}

static void
defect_row(FILE *f, const char *file, long long key, const char *col, const char *kind,
           const char *orig)
{
    csv_field(f, file, 0);
    csv_int(f, key, 0);
    csv_field(f, col, 0);
    csv_field(f, kind, 0);
    csv_field(f, orig, 1);
}

static void
write_customers(struct world *w, const char *dir, FILE *fd)
{
    FILE *f = open_out(dir, "customers.csv");
    struct rng r;
    rng_seed(&r, w->seed, R_DEFECT, 1);
    fputs("customer_id,name,city,signup_date,age\n", f);
    for (int i = 0; i < N_CUSTOMERS; i++) {
        const struct customer *c = &w->cust[i];
        char date[16], age[16];
        int miss_city = rng_unif(&r) < P_MISS_CITY, miss_signup = rng_unif(&r) < P_MISS_SIGNUP;
        int miss_age = rng_unif(&r) < P_MISS_AGE;
        fmt_date(c->signup, date, sizeof date);
        snprintf(age, sizeof age, "%d", c->age);
        csv_int(f, c->id, 0);
        csv_field(f, c->name, 0);
        csv_field(f, miss_city ? "" : cities[c->city], 0);
        csv_field(f, miss_signup ? "" : date, 0);
        csv_field(f, miss_age ? "" : age, 1);
        if (miss_city)
            defect_row(fd, "customers.csv", c->id, "city", "missing", cities[c->city]);
        if (miss_signup)
            defect_row(fd, "customers.csv", c->id, "signup_date", "missing", date);
        if (miss_age)
            defect_row(fd, "customers.csv", c->id, "age", "missing", age);
        w->n_miss_city += miss_city;
        w->n_miss_signup += miss_signup;
        w->n_miss_age += miss_age;
    }
    close_out(f, "customers.csv");
}

static void
write_orders(struct world *w, const char *dir, FILE *fd)
{
    FILE *f = open_out(dir, "orders.csv"), *fi = open_out(dir, "order_items.csv");
    struct rng r;
    rng_seed(&r, w->seed, R_DEFECT, 2);
    fputs("order_id,customer_id,ts,amount\n", f);
    fputs("order_id,product,category,quantity,price\n", fi);
    for (size_t i = 0; i < w->n_orders; i++) {
        const struct order *o = &w->orders[i];
        long long id = 100000 + (long long)i + 1;
        int cid = w->cust[o->cust].id, kind = w->odefect[i];
        char ts[32], bad[32], amt[32], ext[32], cstr[16];
        fmt_ts(o->ts, ts, sizeof ts);
        fmt_cents(o->cents, amt, sizeof amt);
        snprintf(cstr, sizeof cstr, "%d", cid);
        for (int rep = 0; rep < (kind == D_DUPLICATE ? 2 : 1); rep++) {
            csv_int(f, id, 0);
            csv_field(f, kind == D_MISS_CUSTOMER ? "" : cstr, 0);
            if (kind == D_BAD_DATE && rep == 0)
                bad_date(&r, o, bad, sizeof bad);
            csv_field(f, kind == D_BAD_DATE ? bad : ts, 0);
            if (kind == D_EXTREME)
                fmt_cents(w->extreme_cents[i], ext, sizeof ext);
            csv_field(f, kind == D_MISS_AMOUNT ? "" : kind == D_EXTREME ? ext : amt, 1);
        }
        switch (kind) {
        case D_MISS_AMOUNT:
            defect_row(fd, "orders.csv", id, "amount", "missing", amt);
            break;
        case D_MISS_CUSTOMER:
            defect_row(fd, "orders.csv", id, "customer_id", "missing", cstr);
            break;
        case D_BAD_DATE:
            defect_row(fd, "orders.csv", id, "ts", "bad_date", ts);
            break;
        case D_EXTREME:
            defect_row(fd, "orders.csv", id, "amount", "extreme", amt);
            break;
        case D_DUPLICATE:
            defect_row(fd, "orders.csv", id, "", "duplicate", "");
            break;
        }
        for (int k = 0; k < o->n_items; k++) {
            const struct item *it = &w->items[o->first_item + k];
            char price[32];
            fmt_cents(products[it->product].cents, price, sizeof price);
            csv_int(fi, id, 0);
            csv_field(fi, products[it->product].name, 0);
            csv_field(fi, cat_names[products[it->product].cat], 0);
            csv_int(fi, it->qty, 0);
            csv_field(fi, price, 1);
        }
    }
    close_out(f, "orders.csv");
    close_out(fi, "order_items.csv");
}

static void
write_events(const struct world *w, const char *dir)
{
    FILE *f = open_out(dir, "events.csv");
    fputs("customer_id,ts,event,product\n", f);
    for (size_t i = 0; i < w->n_events; i++) {
        const struct event *e = &w->events[i];
        char ts[32];
        fmt_ts(e->ts, ts, sizeof ts);
        csv_int(f, w->cust[e->cust].id, 0);
        csv_field(f, ts, 0);
        csv_field(f, ev_names[e->kind], 0);
        csv_field(f, products[e->product].name, 1);
    }
    close_out(f, "events.csv");
}

static void
write_truth_tables(const struct world *w, const char *dir)
{
    FILE *f = open_out(dir, "truth_segments.csv");
    fputs("customer_id,segment,behaviour\n", f);
    for (int i = 0; i < N_CUSTOMERS; i++) {
        csv_int(f, w->cust[i].id, 0);
        csv_field(f, segments[w->cust[i].seg].name, 0);
        csv_field(f, behav_names[w->cust[i].behav], 1);
    }
    close_out(f, "truth_segments.csv");

    f = open_out(dir, "truth_monthly.csv");
    fputs("segment,month,expected_value,expected_orders,customers\n", f);
    for (int s = 0; s < N_SEG; s++)
        for (int m = 0; m < N_MONTHS; m++) {
            char month[16];
            fmt_date(w->month_start[m], month, sizeof month);
            fprintf(f, "%s,%s,%.2f,%.4f,%d\n", segments[s].name, month,
                    w->exp_value[s][m] / 100.0 / w->seg_count[s],
                    w->exp_orders[s][m] / w->seg_count[s], w->seg_count[s]);
        }
    close_out(f, "truth_monthly.csv");

    f = open_out(dir, "truth_bundles.csv");
    fputs("bundle,product,category,price,role,include_prob\n", f);
    for (int b = 0; b < N_BUNDLE; b++)
        for (int k = 0; k < bundles[b].n; k++) {
            const struct product *p = &products[w->bundle_prod[b][k]];
            char price[32];
            fmt_cents(p->cents, price, sizeof price);
            fprintf(f, "%s,%s,%s,%s,%s,%.2f\n", bundles[b].name, p->name, cat_names[p->cat],
                    price, k == 0 ? "anchor" : "member", bundles[b].p_incl[k]);
        }
    close_out(f, "truth_bundles.csv");
}

static void
write_truth_md(const struct world *w, const char *dir)
{
    FILE *f = open_out(dir, "truth.md");
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    fprintf(f, "# Planted truth (written by gen.c, seed %llu)\n\n"
               "Every number here comes from the generator's tables; see README.md for the "
               "files and the model.\n\n## Segments\n\n"
               "| segment | share | customers | orders/month | active | late signup | "
               "lines | mean qty | P(bundle) | mean amount | orders/customer, 24 mo | "
               "age |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
            (unsigned long long)w->seed);
    for (int s = 0; s < N_SEG; s++) {
        const struct segment *g = &segments[s];
        double amt = 0.0, ord = 0.0;
        char act[32] = "all 24 months";
        for (int i = 0; i < N_CUSTOMERS; i++)
            if (w->cust[i].seg == s)
                amt += w->cust[i].exp_amount;
        for (int m = 0; m < N_MONTHS; m++)
            ord += w->exp_orders[s][m];
        if (g->active_max > 0)
            snprintf(act, sizeof act, "first %d-%d months", g->active_min, g->active_max);
        fprintf(f, "| %s | %.2f | %d | %.2f | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | "
                   "%.0f (sd %.0f) |\n",
                g->name, g->share, w->seg_count[s], g->rate, act, g->late_signup,
                1 + 3 * g->p_extra, mean_qty(g), g->p_bundle,
                amt / w->seg_count[s] / 100.0, ord / w->seg_count[s], g->age_mean, g->age_sd);
    }
    fputs("\nOrders/month is per customer at seasonality 1 and trend 1; each customer's rate "
          "is multiplied by a triangular factor on [0.6, 1.4] (mean 1). Mean amount is the "
          "expected order value before defects, averaged over the segment's customers. "
          "Lines = expected regular lines (1 + Binomial(3, p)); bundles add their own lines."
          "\n\n## Category preference (share of regular lines)\n\n| segment |", f);
    for (int c = 0; c < N_CAT; c++)
        fprintf(f, " %s |", cat_names[c]);
    fputs("\n|---|", f);
    for (int c = 0; c < N_CAT; c++)
        fputs("---|", f);
    for (int s = 0; s < N_SEG; s++) {
        fprintf(f, "\n| %s |", segments[s].name);
        for (int c = 0; c < N_CAT; c++)
            fprintf(f, " %.2f |", segments[s].cat_pref[c]);
    }
    fputs("\n| mean price |", f);
    for (int c = 0; c < N_CAT; c++)
        fprintf(f, " %.2f |", w->cat_mean[c] / 100.0);
    fputs("\n\n## Seasonality and trend\n\nExpected orders in month m (0 = 2023-01) = rate x "
          "customer factor x season[month] x (1 + m/120).\n\n|", f);
    for (int m = 0; m < 12; m++)
        fprintf(f, " %s |", mon[m]);
    fputs("\n|", f);
    for (int m = 0; m < 12; m++)
        fputs("---|", f);
    fputs("\n|", f);
    for (int m = 0; m < 12; m++)
        fprintf(f, " %.2f |", season[m]);
    fputs("\n\n## Bundles\n\nA bundle's anchor is never drawn as a regular line; the other "
          "members are ordinary products too. An order holding the bundle always has the "
          "anchor and each member with its probability.\n\n"
          "| bundle | products (include prob) | expected value |", f);
    for (int s = 0; s < N_SEG; s++)
        fprintf(f, " weight in %s |", segments[s].name);
    fputs("\n|---|---|---|", f);
    for (int s = 0; s < N_SEG; s++)
        fputs("---|", f);
    for (int b = 0; b < N_BUNDLE; b++) {
        fprintf(f, "\n| %s |", bundles[b].name);
        for (int k = 0; k < bundles[b].n; k++)
            fprintf(f, "%s %s (%.2f)", k ? "," : "", bundles[b].members[k],
                    bundles[b].p_incl[k]);
        fprintf(f, " | %.2f |", w->bundle_mean[b] / 100.0);
        for (int s = 0; s < N_SEG; s++)
            fprintf(f, " %.2f |", segments[s].bundle_w[b]);
    }
    fputs("\n\n## Behaviour types\n\n| segment |", f);
    for (int b = 0; b < N_BEHAV; b++)
        fprintf(f, " %s |", behav_names[b]);
    fputs("\n|---|---|---|---|---|", f);
    for (int s = 0; s < N_SEG; s++) {
        fprintf(f, "\n| %s |", segments[s].name);
        for (int b = 0; b < N_BEHAV; b++)
            fprintf(f, " %.2f |", segments[s].behav[b]);
    }
    fprintf(f, "\n\nBrowsing sessions without a purchase per customer-month: simple %.1f, "
               "deterministic %.1f, habitual %.1f, preference %.1f. Habitual: %d favourite "
               "products make %.0f%% of regular lines, favourite weekday weighted %.0fx, "
               "%.0f%% of orders in the favourite hour. Preference: %.0f%% of browsed "
               "products in the favourite category, wishlist after %.0f%% of browsing views, "
               "abandoned cart after %.0f%%, %.0f%% of bought products wishlisted 1-20 days "
               "before. Abandoned carts per session: simple %.2f, deterministic and habitual "
               "%.2f; wishlist per session for the three other types %.2f.\n\n",
            session_rate[0], session_rate[1], session_rate[2], session_rate[3], HABIT_FAVS,
            100 * HABIT_P_FAV, HABIT_WDAY_W, 100 * HABIT_P_HOUR, 100 * PREF_P_FAVCAT,
            100 * PREF_P_WISH, 100 * PREF_P_CART, 100 * PREF_P_EARLY, SIMPLE_P_CART,
            OTHER_P_CART, OTHER_P_WISH);
    fprintf(f, "## Defects (exact counts; every one is listed in truth_defects.csv)\n\n"
               "| file | column | kind | rate | rows |\n|---|---|---|---|---|\n"
               "| orders.csv | amount | missing | %.3f | %d |\n"
               "| orders.csv | customer_id | missing | %.3f | %d |\n"
               "| orders.csv | ts | bad_date | %.3f | %d |\n"
               "| orders.csv | amount | extreme (x50-100) | - | %d |\n"
               "| orders.csv | (row) | duplicate | %.3f | %d |\n"
               "| customers.csv | city | missing | %.3f | %d |\n"
               "| customers.csv | signup_date | missing | %.3f | %d |\n"
               "| customers.csv | age | missing | %.3f | %d |\n",
            P_MISS_AMOUNT, w->n_defect[D_MISS_AMOUNT], P_MISS_CUSTOMER,
            w->n_defect[D_MISS_CUSTOMER], P_BAD_DATE, w->n_defect[D_BAD_DATE],
            w->n_defect[D_EXTREME], P_DUPLICATE, w->n_defect[D_DUPLICATE], P_MISS_CITY,
            w->n_miss_city, P_MISS_SIGNUP, w->n_miss_signup, P_MISS_AGE, w->n_miss_age);
    close_out(f, "truth.md");
}

int
main(int argc, char **argv)
{
    static struct world w;
    const char *dir;
    FILE *fd;
    char *end;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen OUTDIR [SEED]\n");
        return 2;
    }
    dir = argv[1];
    w.seed = DEFAULT_SEED;
    if (argc == 3) {
        w.seed = strtoull(argv[2], &end, 10);
        if (*argv[2] == '\0' || *end != '\0') {
            fprintf(stderr, "gen: seed '%s' is not a number\n", argv[2]);
            return 2;
        }
    }
    world_init_catalog(&w);
    make_customers(&w);
    make_orders(&w);
    qsort(w.orders, w.n_orders, sizeof *w.orders, cmp_order);
    plant_defects(&w);
    make_events(&w);

    fd = open_out(dir, "truth_defects.csv");
    fputs("file,row_key,column,kind,original\n", fd);
    write_customers(&w, dir, fd);
    write_orders(&w, dir, fd);
    close_out(fd, "truth_defects.csv");
    write_events(&w, dir);
    write_truth_tables(&w, dir);
    write_truth_md(&w, dir);

    printf("gen: seed %llu, wrote to %s/\n", (unsigned long long)w.seed, dir);
    printf("  customers.csv       %6d rows\n", N_CUSTOMERS);
    printf("  orders.csv          %6zu rows (%d duplicates)\n",
           w.n_orders + (size_t)w.n_defect[D_DUPLICATE], w.n_defect[D_DUPLICATE]);
    printf("  order_items.csv     %6zu rows\n", w.n_items);
    printf("  events.csv          %6zu rows\n", w.n_events);
    printf("  truth_segments.csv  %6d rows\n", N_CUSTOMERS);
    printf("  truth_monthly.csv   %6d rows\n", N_SEG * N_MONTHS);
    printf("  truth_defects.csv   %6d rows\n",
           w.n_defect[D_MISS_AMOUNT] + w.n_defect[D_MISS_CUSTOMER] + w.n_defect[D_BAD_DATE]
               + w.n_defect[D_EXTREME] + w.n_defect[D_DUPLICATE] + w.n_miss_city
               + w.n_miss_age + w.n_miss_signup);
    free(w.cust);
    free(w.orders);
    free(w.items);
    free(w.events);
    free(w.odefect);
    free(w.extreme_cents);
    return 0;
}
