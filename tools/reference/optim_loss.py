"""Reference values for perceptron's optimisers and losses, from PyTorch (Debian python3-torch).

Run: /usr/bin/python3 tools/reference/optim_loss.py > core/src/test/resources/reference/optim_loss.txt
Format: one record per line: `name value value ...` (float64 values, repr precision).
"""
import torch

torch.set_default_dtype(torch.float64)


def emit(name, t):
    values = t.detach().reshape(-1).tolist() if torch.is_tensor(t) else list(t)
    print(name, " ".join(repr(float(v)) for v in values))


p0 = torch.tensor([0.5, -1.25, 2.0, 0.0, 3.5])
grads = [torch.tensor([0.1, -0.2, 0.3, -0.4, 0.5]),
         torch.tensor([-0.3, 0.1, 0.0, 0.2, -0.1]),
         torch.tensor([0.05, 0.05, -0.5, 1.0, 0.25])]
emit("param0", p0)
for i, g in enumerate(grads):
    emit(f"grad{i}", g)

configs = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "sgd_momentum_dampening_wd": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.3,
                                                            weight_decay=0.01),
    "sgd_nesterov_wd": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.01),
    "adam_wd": lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.01),
    "adamw_wd": lambda ps: torch.optim.AdamW(ps, lr=0.02, weight_decay=0.5),
}
for name, make in configs.items():
    p = p0.clone().requires_grad_()
    opt = make([p])
    for i, g in enumerate(grads):
        p.grad = g.clone()
        opt.step()
        emit(f"{name}.step{i + 1}", p)

# Cross-entropy at ordinary and extreme logits, with and without label smoothing.
logits = torch.tensor([[1.0, 2.0, 0.5, -1.0], [10000.0, -10000.0, 0.0, 3.0], [-1e4, 1e4, 1e4, 0.0]],
                      requires_grad=True)
targets = torch.tensor([1, 0, 3])
emit("ce.logits", logits)
emit("ce.targets", targets.double())
for eps in (0.0, 0.1):
    for red in ("mean", "sum", "none"):
        logits.grad = None
        loss = torch.nn.functional.cross_entropy(logits, targets, reduction=red, label_smoothing=eps)
        (loss.sum() if red == "none" else loss).backward()
        emit(f"ce.{red}.eps{eps}.loss", loss)
        emit(f"ce.{red}.eps{eps}.grad", logits.grad)

x = torch.tensor([-1e4, -20.0, -1.0, 0.0, 0.5, 3.0, 40.0, 1e4], requires_grad=True)
t = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.3, 1.0, 0.0, 1.0])
emit("bce.x", x)
emit("bce.t", t)
loss = torch.nn.functional.binary_cross_entropy_with_logits(x, t)
loss.backward()
emit("bce.loss", loss)
emit("bce.grad", x.grad)

pred = torch.tensor([0.5, 120000.0, 95000.0, 300000.0], requires_grad=True)
target = torch.tensor([100000.0, 125000.0, 90000.0, 250000.0])
clipped = torch.clamp(pred, 1, float("inf"))
rmse = torch.sqrt(torch.nn.functional.mse_loss(torch.log(clipped), torch.log(target)))
rmse.backward()
emit("logrmse.pred", pred)
emit("logrmse.target", target)
emit("logrmse.loss", rmse)
emit("logrmse.grad", pred.grad)
