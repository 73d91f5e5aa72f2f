"""Quantization-aware fine-tuning: the simulated int8 Linear computes what torch's
dynamic int8 Linear computes at prediction time."""

import pytest

torch = pytest.importorskip("torch")

from newsaudit.models.techniques.encoder import quantize_int8  # noqa: E402
from newsaudit.train.techniques_finetune import simulate_int8  # noqa: E402


class _Bert(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = torch.nn.Sequential(torch.nn.Linear(48, 96), torch.nn.GELU(), torch.nn.Linear(96, 48))


@pytest.mark.parametrize(("shift", "outlier"), [(0.0, 0.0), (0.5, 40.0), (-3.0, 0.0)])
def test_techniques_finetune_simulated_int8_matches_quantized_linear(shift, outlier):
    torch.manual_seed(0)
    bert = _Bert().requires_grad_(False)
    x = torch.randn(4, 7, 48) * 2 + shift
    x[0, 0, 3] += outlier
    expected = quantize_int8(bert.encoder)(x)
    simulate_int8(bert)
    assert torch.allclose(bert.encoder(x), expected, atol=1e-4)


def test_techniques_finetune_simulated_int8_lets_gradients_through():
    bert = _Bert()
    simulate_int8(bert)
    bert.encoder(torch.randn(2, 5, 48)).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in bert.encoder.parameters())
