"""The zoo's full models (src/models/*.cc) as torch.nn modules, for the peers.

CNNs come from torchvision (the zoo follows torchvision's definitions);
BERT-base, NasRNN and NasNet-A are written here after the zoo's builders
(their header comments): same layers, shapes and operator order. Weights
are random (fixed seed); timings do not depend on their values.

    model, inputs = build("resnet50")   # eval mode, float32, batch 1
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

MODELS = ["resnet50", "resnext50", "inception_v3", "squeezenet1_1",
          "mobilenet_v2", "nasnet_a", "nasrnn", "bert_base"]


class BertLayer(nn.Module):
    """One layer of src/models/bert.cc: no mask, GELU (erf), LN eps 1e-12."""

    def __init__(self, seq, hidden=768, heads=12, ff=3072):
        super().__init__()
        self.seq, self.heads, self.dim = seq, heads, hidden // heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.o = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-12)
        self.ff1 = nn.Linear(hidden, ff)
        self.ff2 = nn.Linear(ff, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, h):  # h: [batch * seq, hidden]
        b = h.shape[0] // self.seq
        q = self.q(h).reshape(b, self.seq, self.heads, self.dim).permute(0, 2, 1, 3)
        k = self.k(h).reshape(b, self.seq, self.heads, self.dim).permute(0, 2, 3, 1)
        v = self.v(h).reshape(b, self.seq, self.heads, self.dim).permute(0, 2, 1, 3)
        p = torch.softmax(torch.matmul(q, k) * (1.0 / math.sqrt(self.dim)), -1)
        c = torch.matmul(p, v).permute(0, 2, 1, 3).reshape(b * self.seq, -1)
        h1 = self.ln1(h + self.o(c))
        return self.ln2(h1 + self.ff2(F.gelu(self.ff1(h1))))


class Bert(nn.Module):
    def __init__(self, seq=128, layers=12):
        super().__init__()
        self.layers = nn.Sequential(*[BertLayer(seq) for _ in range(layers)])

    def forward(self, h):
        return self.layers(h)


class NasRnn(nn.Module):
    """src/models/nasrnn.cc: hidden 512, 16 matmuls per step, unrolled.

    Like the zoo's builder (and TASO's examples/nasrnn.py), every step has
    weights of its own: 80 matrices of 1 MiB, streamed from memory once per
    inference. (Sharing them across steps would make a different, smaller
    workload than the one tsopt runs.)
    """

    def __init__(self, hidden=512, steps=5):
        super().__init__()
        scale = 1 / math.sqrt(hidden)
        self.w = nn.Parameter(torch.randn(steps, 8, hidden, hidden) * scale)
        self.u = nn.Parameter(torch.randn(steps, 8, hidden, hidden) * scale)

    def step(self, s, h, x):
        t = [torch.matmul(x, self.w[s, i]) + torch.matmul(h, self.u[s, i])
             for i in range(8)]
        m0 = torch.relu(t[0]) + torch.sigmoid(t[3])
        m1 = torch.sigmoid(t[1]) + torch.tanh(t[2])
        m2 = torch.sigmoid(t[4]) * torch.tanh(t[5])
        m3 = torch.sigmoid(t[6]) * torch.relu(t[7])
        m4 = torch.sigmoid(m1) + torch.tanh(m2)
        m5 = torch.tanh(m0) * torch.tanh(m3)
        return torch.tanh(torch.tanh(m4) * torch.tanh(m5))

    def forward(self, x0, x1, x2, x3, x4, h):
        for s, x in enumerate((x0, x1, x2, x3, x4)):
            h = self.step(s, h, x)
        return h


def _same_pad(n, k, s):
    """TensorFlow "SAME": (before, after) padding of one spatial axis."""
    out = (n + s - 1) // s
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


class SameConv(nn.Module):
    """Conv2d with TF "SAME" padding (odd pixel at the end), no bias."""

    def __init__(self, cin, cout, k, s, groups, size):
        super().__init__()
        a, b = _same_pad(size, k, s)
        self.pad = (a, b, a, b)
        self.conv = nn.Conv2d(cin, cout, k, s, groups=groups, bias=False)

    def forward(self, x):
        return self.conv(F.pad(x, self.pad) if any(self.pad) else x)


class SamePool(nn.Module):
    """3x3 max or average (padding excluded) pool with TF "SAME" padding."""

    def __init__(self, kind, s, size):
        super().__init__()
        a, b = _same_pad(size, 3, s)
        self.kind, self.s, self.pad = kind, s, (a, b, a, b)

    def forward(self, x):
        if self.kind == "max":
            return F.max_pool2d(F.pad(x, self.pad, value=-math.inf), 3, self.s)
        if self.pad[0] == self.pad[1]:
            return F.avg_pool2d(x, 3, self.s, padding=self.pad[0],
                                count_include_pad=False)
        ones = torch.ones_like(x[:1, :1])
        return (F.avg_pool2d(F.pad(x, self.pad), 3, self.s) /
                F.avg_pool2d(F.pad(ones, self.pad), 3, self.s))


class SepConv(nn.Module):
    def __init__(self, c, k, s, size):
        super().__init__()
        self.dw = SameConv(c, c, k, s, c, size)
        self.pw = nn.Conv2d(c, c, 1, bias=False)

    def forward(self, x):
        return self.pw(self.dw(x))


class NasCell(nn.Module):
    """Normal or reduction cell of src/models/nasnet_a.cc."""

    def __init__(self, cin_prev, cin_cur, c, size, reduction):
        super().__init__()
        self.reduction = reduction
        self.sq_cur = nn.Conv2d(cin_cur, c, 1, bias=False)
        self.sq_prev = nn.Conv2d(cin_prev, c, 1, bias=False)
        if reduction:
            half = (size + 1) // 2
            self.s = nn.ModuleList([SepConv(c, 7, 2, size), SepConv(c, 5, 2, size),
                                    SepConv(c, 7, 2, size), SepConv(c, 5, 2, size),
                                    SepConv(c, 3, 1, half)])
            self.max2 = SamePool("max", 2, size)
            self.avg2 = SamePool("avg", 2, size)
            self.avg1 = SamePool("avg", 1, half)
        else:
            self.s = nn.ModuleList([SepConv(c, 3, 1, size) for _ in range(5)])
            self.avg1 = SamePool("avg", 1, size)

    def forward(self, prev, cur):
        cur = torch.relu(self.sq_cur(cur))
        prev = torch.relu(self.sq_prev(prev))
        s = self.s
        if self.reduction:
            o0 = s[0](prev) + s[1](cur)
            o1 = self.max2(cur) + s[2](prev)
            o2 = self.avg2(cur) + s[3](prev)
            o3 = self.max2(cur) + s[4](o0)
            o4 = self.avg1(o0) + o1
        else:
            o0 = s[0](cur) + cur
            o1 = s[1](prev) + s[2](cur)
            o2 = self.avg1(cur) + prev
            o3 = self.avg1(prev) + self.avg1(prev)
            o4 = s[3](prev) + s[4](prev)
        return torch.cat([o0, o1, o2, o3, o4], 1)


class NasNetA(nn.Module):
    def __init__(self, size=224):
        super().__init__()
        self.stem = SameConv(3, 64, 7, 2, 1, size)
        size = (size + 1) // 2
        self.pool = SamePool("max", 2, size)
        size = (size + 1) // 2
        cells, c, cin_prev, cin_cur = [], 128, 64, 64
        for _ in range(3):
            for _ in range(5):
                cells.append(NasCell(cin_prev, cin_cur, c, size, False))
                cin_prev, cin_cur = cin_cur, 5 * c
            c *= 2
            cells.append(NasCell(cin_prev, cin_cur, c, size, True))
            size = (size + 1) // 2
            cin_prev = cin_cur = 5 * c
        self.cells = nn.ModuleList(cells)

    def forward(self, x):
        x = self.pool(torch.relu(self.stem(x)))
        prev = cur = x
        for cell in self.cells:
            if cell.reduction:  # a stage restarts from its reduction output
                x = cell(prev, cur)
                prev = cur = x
            else:
                prev, cur = cur, cell(prev, cur)
        return x


def build(name, batch=1, seed=1):
    """(module in eval mode, tuple of example inputs) for a zoo model name."""
    import torchvision.models as tvm
    torch.manual_seed(seed)
    image = lambda size: (torch.rand(batch, 3, size, size) * 2 - 1,)
    if name == "resnet50":
        return tvm.resnet50().eval(), image(224)
    if name == "resnext50":
        return tvm.resnext50_32x4d().eval(), image(224)
    if name == "inception_v3":
        m = tvm.inception_v3(aux_logits=False, init_weights=False)
        return m.eval(), image(299)
    if name == "squeezenet1_1":
        return tvm.squeezenet1_1().eval(), image(224)
    if name == "mobilenet_v2":
        return tvm.mobilenet_v2().eval(), image(224)
    if name == "nasnet_a":
        return NasNetA().eval(), image(224)
    if name == "nasrnn":
        return NasRnn().eval(), tuple(torch.rand(batch, 512) for _ in range(6))
    if name == "bert_base":
        return Bert().eval(), (torch.rand(batch * 128, 768) * 2 - 1,)
    raise ValueError(f"unknown model {name}; one of {MODELS}")
