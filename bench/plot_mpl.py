"""bench/plot_mpl.py: the peer of `plot scatter ... color=c to=FILE.png`:
read the CSV, draw a scatter coloured by cluster (one colour per value,
legend), 800x600 PNG, as matplotlib users write it.
Usage: plot_mpl.py POINTS.csv OUT.png"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

data = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
for c in np.unique(data["c"]):
    m = data["c"] == c
    ax.scatter(data["x"][m], data["y"][m], s=4, label=f"c {c:g}")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title("pts: y against x")
ax.legend()
fig.savefig(sys.argv[2])
