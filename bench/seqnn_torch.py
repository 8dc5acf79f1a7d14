"""seqnn_torch.py: bench/seqnn_time.c's network in PyTorch (CPU): 100,000
sequences of 50 tokens (0..20), Embedding(21, 16), LSTM(16 -> 32, last
step), Linear(32 -> 2), cross-entropy, Adam lr 0.005, batch 128, shuffled
each epoch, float32 (PyTorch's default) or float64.

    /usr/bin/python3 bench/seqnn_torch.py [EPOCHS [THREADS [float32|float64 [SEQUENCES]]]]

Fewer SEQUENCES (100,000 by default) time a part of an epoch, as
bench/seqnn_time.c's SEQUENCES does.
"""
import sys
import time

import numpy as np
import torch

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
dtype = torch.float64 if len(sys.argv) > 3 and sys.argv[3] == "float64" else torch.float32
torch.set_num_threads(threads)
torch.manual_seed(1)
rng = np.random.default_rng(19)
N, L, V, E, H, B = 100000, 50, 21, 16, 32, 128
if len(sys.argv) > 4:
    N = int(sys.argv[4])
x = torch.from_numpy(rng.integers(0, V, size=(N, L)))
y = torch.from_numpy(rng.integers(0, 2, size=N))


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(V, E)
        self.lstm = torch.nn.LSTM(E, H, batch_first=True)
        self.out = torch.nn.Linear(H, 2)

    def forward(self, t):
        h, _ = self.lstm(self.emb(t))
        return self.out(h[:, -1, :])


net = Net().to(dtype)
opt = torch.optim.Adam(net.parameters(), lr=0.005)
lossf = torch.nn.CrossEntropyLoss()
secs, cpus = [], []
for e in range(epochs):
    t0, c0 = time.perf_counter(), time.process_time()
    perm = torch.randperm(N)
    for i in range(0, N, B):
        idx = perm[i:i + B]
        opt.zero_grad()
        loss = lossf(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    secs.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
secs.sort()
cpus.sort()
print("seqnn_torch_%dt seqs=%d torch=%s dtype=%s epochs=%d sec_per_epoch=%.3f (min %.3f max %.3f) "
      "cpu_per_epoch=%.3f final_loss=%.5f" % (threads, N, torch.__version__, str(dtype).split(".")[-1],
      epochs, secs[len(secs) // 2], secs[0], secs[-1], cpus[len(cpus) // 2], loss.item()))
