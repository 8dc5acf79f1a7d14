/*
 * explain.c: `explain TOPIC`, what a method computes: its objective, its
 * update rule and its formulas, in plain text (for teaching). Topics are
 * a table of name, one-line summary and body; `explain` alone lists them.
 */
#include "cmd.h"

#include <string.h>
#include <strings.h>

#include "banned.h"

struct topic {
    const char *name;
    const char *summary;
    const char *body;
};

static const struct topic topics[] = {
    {"kmeans", "k-means (Lloyd): centres at the means of their rows",
     "Objective: J = sum over rows i of ||x_i - c_(label i)||^2 (the inertia).\n"
     "Start: k centres (init=kmeans++ | random | first; see explain kmeans++).\n"
     "Repeat: 1. assign each row to its nearest centre (squared Euclidean distance;\n"
     "           ties go to the lower centre number);\n"
     "        2. move each centre to the mean of its rows: c_j = (1/n_j) sum of x_i.\n"
     "Each step can only lower J, so it converges (to a local minimum). quarry stops\n"
     "when no label changes, when sum_j ||c_j(new) - c_j(old)||^2 <= tol x the mean\n"
     "column variance, or at maxiter; restarts=N keeps the start with the lowest J.\n"
     "An empty cluster takes the row farthest from its centre.\n"
     "Fast form of the distance: ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2, and ||x||^2\n"
     "is the same for every centre, so the nearest centre minimises ||c||^2 - 2 x.c.\n"
     "Scale matters: a column in thousands outweighs one in units; normalise first."},
    {"kmedians", "k-medians: Manhattan distance, centres at coordinate medians",
     "Objective: J = sum over rows of sum over columns |x_iq - c_(label i)q| (L1).\n"
     "Assign each row to the centre at the smallest Manhattan distance, then set each\n"
     "coordinate of a centre to the median of its rows' values in that column (the\n"
     "mean of the two middle values for an even count): the median minimises a sum\n"
     "of absolute deviations, so J never rises. Less moved by outliers than k-means.\n"
     "cluster ... method=kmedians, or method=kmeans distance=manhattan."},
    {"cosine", "spherical k-means: direction, not length",
     "cos(x, c) = x.c / (||x|| ||c||), 1 for the same direction, 0 at right angles.\n"
     "Rows are scaled to length 1; each is assigned to the centre with the largest\n"
     "cosine; a centre becomes the mean of its rows scaled back to length 1.\n"
     "Objective: J = sum of (1 - cos(x_i, c_(label i))). For unit vectors\n"
     "||x - c||^2 = 2 - 2 cos(x, c), so the nearest centre is the most similar.\n"
     "cluster ... distance=cosine. Rows of zeros have no direction (cosine 0)."},
    {"kmedoids", "k-medoids: k rows as centres, any Minkowski distance",
     "Objective: J = sum over rows of d(x_i, nearest medoid), d any Minkowski distance\n"
     "(distance=manhattan p=1, euclidean p=2, minkowski with p=). The centres are rows\n"
     "of the table (medoids), so a centre is always a real customer, and no mean is\n"
     "needed: any distance works. Start: k-means++ rows. Then PAM-style swaps: for\n"
     "each row x and each medoid m, the change of J if x replaced m is found in one\n"
     "scan (each row's nearest and second-nearest medoid are kept); an improving swap\n"
     "is made at once. It stops when a whole pass finds no improving swap. A pass\n"
     "costs O(n^2): up to 20,000 rows."},
    {"hierarchical", "agglomerative clustering: a tree of merges",
     "Start with every row its own cluster; repeatedly merge the two closest clusters\n"
     "until one is left, recording each merge and its height (the distance merged at).\n"
     "Cutting the tree below its last k - 1 merges gives k clusters. Linkage, the\n"
     "distance between clusters A and B (rows compared by Euclidean distance):\n"
     "  single    min over a in A, b in B of d(a, b) (chains along thin bridges);\n"
     "  complete  max d(a, b) (compact clusters);\n"
     "  average   mean of d(a, b) over all pairs (UPGMA);\n"
     "  ward      sqrt(2 |A||B| / (|A| + |B|)) ||mean A - mean B||: merges the pair that\n"
     "            raises the within-cluster sum of squares least (like k-means).\n"
     "quarry updates distances by the Lance-Williams formulas and finds merges with the\n"
     "nearest-neighbour chain, as SciPy: O(n^2) time and memory, up to 20,000 rows.\n"
     "trace=yes writes the merge table for a dendrogram."},
    {"distances", "Minkowski, Euclidean, Manhattan and cosine distances",
     "Minkowski, order p >= 1: d(x, y) = (sum over columns |x_q - y_q|^p)^(1/p).\n"
     "  p = 2: Euclidean, d = sqrt(sum (x_q - y_q)^2), the straight line;\n"
     "  p = 1: Manhattan, d = sum |x_q - y_q|, along the axes;\n"
     "  p -> infinity: the largest single difference (Chebyshev).\n"
     "Cosine distance: 1 - x.y / (||x|| ||y||), the angle, blind to length.\n"
     "k-means minimises squared Euclidean distance (mean centres), k-medians the\n"
     "Manhattan distance (median centres), spherical k-means the cosine distance."},
    {"kmeans++", "k-means++ seeding: D^2 sampling",
     "The first centre is a row drawn uniformly. Each next centre is a row drawn with\n"
     "probability D(x)^2 / sum D^2, where D(x) is the row's distance to the nearest\n"
     "centre chosen so far: far rows are likely, rows on a centre never. The expected\n"
     "J of the start is within O(log k) of the optimum (Arthur and Vassilvitskii,\n"
     "2007). The draws come from the seeded generator: the same seed, the same start."},
    {"dbscan", "DBSCAN: clusters as dense regions, noise as -1",
     "Parameters: eps (a radius) and minpts. The neighbourhood of x is every row\n"
     "within distance eps of x, x included. x is a core row if it has >= minpts\n"
     "neighbours. A cluster is what can be reached from a core row through chains of\n"
     "core rows, plus the border rows (not core, within eps of a core row) they touch.\n"
     "Rows in no cluster are noise, label -1. The number of clusters is found, not\n"
     "given. quarry grows clusters from core rows in row order (as scikit-learn), so a\n"
     "border row near two clusters joins the one found first. Neighbours come from a\n"
     "k-d tree. Without eps, quarry sorts each row's distance to its minpts-th\n"
     "nearest row and takes the knee of that curve."},
    {"silhouette", "the silhouette: how well each row sits in its cluster",
     "For row i: a = mean distance to the other rows of its cluster, b = the smallest\n"
     "mean distance to the rows of another cluster; s_i = (b - a) / max(a, b), from\n"
     "-1 (closer to another cluster) to 1 (well inside its own); 0 for a row alone in\n"
     "its cluster. The silhouette is the mean of s_i. It costs O(n^2): above 10,000\n"
     "rows quarry uses a seeded sample of 10,000 and says so."},
    {"indices", "Davies-Bouldin, Calinski-Harabasz and inertia",
     "Inertia: sum of squared distances of rows to their cluster's centroid.\n"
     "Davies-Bouldin: s_j = mean distance of cluster j's rows to its centroid c_j;\n"
     "  DB = (1/k) sum over j of max over l != j of (s_j + s_l) / ||c_j - c_l||.\n"
     "  Lower is better: tight clusters far apart.\n"
     "Calinski-Harabasz: B = sum_j n_j ||c_j - mean||^2 (between), W = inertia\n"
     "  (within); CH = (B / (k - 1)) / (W / (n - k)). Higher is better."},
    {"score", "ARI, NMI and purity: a clustering against known classes",
     "Adjusted Rand index: over all pairs of rows, how often the two labellings agree\n"
     "(same group in both, or different in both), corrected so chance gives about 0\n"
     "and the same partition gives 1, whatever the label names.\n"
     "NMI: the mutual information I(L; T) of labels and classes divided by the mean\n"
     "of their entropies (H(L) + H(T)) / 2; 0 = independent, 1 = the same.\n"
     "Purity: each cluster votes for its most common class; the share of rows in the\n"
     "winning class. Purity rises with k (k = n gives 1), so read it with ARI."},
    {"elbow", "the elbow: choosing k",
     "Inertia always falls as k grows, fast while k is below the natural number of\n"
     "groups, slowly after it. elbow runs k-means for each k and takes the knee: the\n"
     "k whose point lies farthest below the straight line from the first to the last\n"
     "point (both axes scaled to 0..1). Compare it with the k of highest silhouette."},
};

static const struct arg_spec explain_args[] = {
    {.name = "TOPIC", .positional = 1, .type = ARG_TEXT,
     .help = "What to explain; explain alone lists the topics.", .comp = COMP_NONE},
    {0},
};

static int
cmd_explain_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    (void)ctx;
    const char *want = args_str(args, "TOPIC");
    size_t n = sizeof topics / sizeof topics[0];
    if (want) {
        if (strcasecmp(want, "manhattan") == 0 || strcasecmp(want, "euclidean") == 0 ||
            strcasecmp(want, "minkowski") == 0)
            want = "distances";
        for (size_t i = 0; i < n; i++)
            if (strcasecmp(want, topics[i].name) == 0) {
                result_text(res, "%s: %s\n\n%s", topics[i].name, topics[i].summary,
                            topics[i].body);
                return 0;
            }
        return qerr_set(err, QE_NOTFOUND, "no topic '%s'; type explain for the list", want);
    }
    struct buf b = BUF_INIT;
    buf_adds(&b, "topics (explain TOPIC):");
    for (size_t i = 0; i < n; i++)
        buf_addf(&b, "\n  %-11s %s", topics[i].name, topics[i].summary);
    result_text(res, "%s", b.data);
    buf_release(&b);
    return 0;
}

const struct cmd_entry cmd_explain_entry = {
    .name = "explain",
    .family = "help",
    .synopsis = "explain [TOPIC]",
    .help = "Explain a method: its objective, its update rule and its formulas (kmeans, "
            "kmedians, kmedoids, hierarchical, cosine, distances, kmeans++, dbscan, silhouette, indices, score, "
            "elbow). Without a topic, list them.",
    .example = "explain kmeans",
    .args = explain_args,
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_explain_exec,
};
