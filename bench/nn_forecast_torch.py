"""The networks of bench/nn_forecast_time.c in PyTorch (CPU, float32):
10,000 windows of 12 values of the same kind of series (numpy's noise),
MSE, Adam lr 0.001, batch 64, shuffled from a fixed seed.

  /usr/bin/python3 bench/nn_forecast_torch.py KIND [EPOCHS] [THREADS]

Prints one line like nn_forecast_time's: wall and CPU seconds per epoch.
"""
import statistics
import sys
import time

import numpy as np
import torch


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "mlp"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    n, L = 10000, 12
    t = np.arange(n + L)
    rs = np.random.default_rng(12)
    s = (np.sin(2 * np.pi * t / 12) + 0.5 * np.sin(2 * np.pi * t / 52) + 0.001 * t
         + 0.1 * rs.standard_normal(n + L))
    s = (s - s.mean()) / s.std()
    W = np.lib.stride_tricks.sliding_window_view(s, L + 1)[:n].astype(np.float32)
    X, Y = torch.from_numpy(W[:, :L].copy()), torch.from_numpy(W[:, L:].copy())
    if kind == "mlp":
        net = torch.nn.Sequential(torch.nn.Linear(L, 32), torch.nn.ReLU(),
                                  torch.nn.Linear(32, 32), torch.nn.ReLU(),
                                  torch.nn.Linear(32, 1))
    elif kind == "cnn":
        layers, c = [], 1
        for _ in range(5):
            layers += [torch.nn.Conv1d(c, 128, 3, padding=1), torch.nn.ReLU()]
            c = 128
        net = torch.nn.Sequential(*layers, torch.nn.Flatten(), torch.nn.Linear(128 * L, 1))
        X = X.unsqueeze(1)  # (n, 1 channel, L)
    else:
        kind = "lstm"

        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = torch.nn.LSTM(1, 32, batch_first=True)
                self.out = torch.nn.Linear(32, 1)

            def forward(self, x):
                h, _ = self.lstm(x)
                return self.out(h[:, -1, :])

        net = Net()
        X = X.unsqueeze(-1)
    opt = torch.optim.Adam(net.parameters(), lr=0.001)
    lossf = torch.nn.MSELoss()
    g = torch.Generator().manual_seed(1)
    walls, cpus, loss = [], [], None
    for _ in range(epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = lossf(net(X[idx]), Y[idx])
            loss.backward()
            opt.step()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    print(f"{kind}_torch_{threads}t params={sum(p.numel() for p in net.parameters())} "
          f"epochs={epochs} sec_per_epoch={statistics.median(walls):.4f} "
          f"(min {min(walls):.4f} max {max(walls):.4f}) "
          f"cpu_per_epoch={statistics.median(cpus):.4f} final_loss={loss.item():.5f} "
          f"torch={torch.__version__}")


if __name__ == "__main__":
    main()
