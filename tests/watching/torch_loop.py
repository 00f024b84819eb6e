"""The real PyTorch training loop the live tests watch (torch needed): a GRU learning a scaled running sum."""

from __future__ import annotations

from collections.abc import Callable


def running_sum(torch) -> tuple[object, Callable[[], float]]:
    """(the GRU to watch, one Adam step on a fresh batch that returns its loss), seeded."""
    torch.manual_seed(0)
    rnn = torch.nn.GRU(2, 16, batch_first=True)
    head = torch.nn.Linear(16, 1)
    opt = torch.optim.Adam([*rnn.parameters(), *head.parameters()], lr=1e-2)

    def step() -> float:
        x = torch.rand(16, 20, 2)
        y, _ = rnn(x)
        loss = (head(y[:, -1]).squeeze(1) - x[:, :, 0].sum(1) / 10).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    return rnn, step
