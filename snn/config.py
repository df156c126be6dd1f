"""`SNNConfig`: every parameter of the spiking network, with its unit in its name.

Defaults follow Diehl & Cook's (2015) published code. Two values depend on the input
size and are resolved by :meth:`SNNConfig.resolved` when left as ``None``:

- ``input_rate_hz``: the Poisson rate of a pixel of intensity 1. D&C use 63.75 Hz on
  784-input MNIST (pixel/8 with intensity 2). With 64 inputs that drive leaves the
  layer silent, so tasks with fewer than 784 inputs get 255 Hz.
- ``weight_sum``: each excitatory neuron's incoming weights are normalised to this sum
  before each presentation. D&C use 78 for 784 inputs (0.0995 per input). For smaller
  inputs we use 0.1875 per input (12 for 64 inputs), which with 255 Hz gives about
  20 excitatory spikes per presentation on digits, in D&C's 5-30 range.

``w_inh_exc_test`` lets recording (frozen weights) use weaker lateral inhibition than
training. With D&C's inhibition (17) at test time one unit wins each input, which hides
everything but the strongest feature: on bars the trained network recovers 0 of 16 bars
at 17 and 15 of 16 at 0.5 (the learned weights are the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from probes.support import Config, require, require_nonnegative, require_positive


@dataclass(frozen=True)
class SNNConfig(Config):
    # --- size, backend, numerics ---
    n_neurons: int = 400  # excitatory neurons (and as many inhibitory)
    backend: Literal["torch", "brian2"] = "torch"
    brian2_target: Literal["cython", "numpy", "cpp_standalone"] = "cython"
    engine: Literal["auto", "numba", "eager"] = "auto"  # auto: numba kernel on CPU, torch step functions elsewhere
    device: str = "cpu"  # torch device: "cpu", "cuda", "cuda:1"
    dtype: Literal["float32", "float64"] = "float32"
    dt_ms: float = 0.5
    # integration of the neuron equations (Brian2's names): "euler" (forward Euler, as D&C) or
    # "exponential_euler" (exact for v given the step's conductances, so stable however large they
    # get; forward Euler overshoots past E_inh once dt * gi / tau_m > 2, see README)
    method: Literal["euler", "exponential_euler"] = "euler"
    # --- presentation and input encoding ---
    presentation_ms: float = 350.0
    rest_ms: float = 150.0
    input_rate_hz: float | None = None  # rate of an intensity-1 pixel; None: by input size (see module doc)
    rate_step_hz: float = 31.875  # added to input_rate_hz on each retry (D&C: intensity + 1)
    min_spikes: int = 5  # a training presentation with fewer exc spikes is retried
    max_retries: int = 8
    jitter_ms: float = 0.0  # std of Gaussian jitter added to each input spike time
    # --- excitatory neurons (mV, ms) ---
    tau_m_exc_ms: float = 100.0
    v_rest_exc_mv: float = -65.0
    v_reset_exc_mv: float = -65.0
    v_thresh_exc_mv: float = -52.0
    theta_offset_mv: float = 20.0  # threshold = v_thresh + theta - offset (reference code)
    refractory_exc_ms: float = 5.0
    e_exc_mv: float = 0.0
    e_inh_exc_mv: float = -100.0
    tau_ge_ms: float = 1.0
    tau_gi_ms: float = 2.0
    theta_init_mv: float = 20.0
    theta_plus_mv: float = 0.05
    tau_theta_ms: float = 1e7
    # --- inhibitory neurons (mV, ms) ---
    tau_m_inh_ms: float = 10.0
    v_rest_inh_mv: float = -60.0
    v_reset_inh_mv: float = -45.0
    v_thresh_inh_mv: float = -40.0
    refractory_inh_ms: float = 2.0
    e_inh_inh_mv: float = -85.0
    # --- fixed synapses (conductance units of the reference code) ---
    w_exc_inh: float = 10.4
    w_inh_exc: float = 17.0
    w_inh_exc_test: float | None = None  # inh->exc weight when recording (frozen); None: w_inh_exc
    # --- plastic input->exc synapses ---
    delay_ms: float = 10.0  # per-synapse delays uniform in [0, delay_ms]
    w_init: float = 0.3  # initial weights (U(0,1) + 0.01) * w_init
    w_max: float = 1.0
    weight_sum: float | None = None  # per-neuron normalisation target; None: by input size
    normalize: bool = True
    tau_pre_ms: float = 20.0
    tau_post1_ms: float = 20.0
    tau_post2_ms: float = 40.0
    nu_pre: float = 1e-4  # depression on a pre spike: w -= nu_pre * post1
    nu_post: float = 1e-2  # potentiation on a post spike: w += nu_post * pre * post2
    # --- training and readout ---
    epochs: int = 1
    readout: Literal["assignment", "logistic"] = "assignment"
    bin_ms: float = 10.0  # default time bin of recordings
    batch_size: int = 256  # samples simulated at once when recording
    # --- learning rule: "stdp" (above) or "surrogate" (snn.surrogate: BPTT through the same dynamics) ---
    learning: Literal["stdp", "surrogate"] = "stdp"
    surrogate_slope: float = 1.0  # 1/mV: dS/dv is replaced by 1 / (1 + slope |v - threshold|)^2
    surrogate_epochs: int = 12
    surrogate_lr: float = 1e-2  # Adam step size (weights; theta and the readout are scaled, see snn.surrogate)
    surrogate_dt_ms: float | None = None  # integration step while training; None: dt_ms (see snn.surrogate)
    surrogate_batch_size: int = 32

    def validate(self) -> None:
        require_positive("n_neurons", self.n_neurons)
        require(self.max_retries >= 0, "max_retries", self.max_retries, "must be >= 0")
        require(self.min_spikes >= 0, "min_spikes", self.min_spikes, "must be >= 0")
        require_positive("epochs", self.epochs)
        require_positive("batch_size", self.batch_size)
        self._validate_surrogate()
        for key in (
            "dt_ms",
            "presentation_ms",
            "tau_m_exc_ms",
            "tau_ge_ms",
            "tau_gi_ms",
            "tau_theta_ms",
            "tau_m_inh_ms",
            "tau_pre_ms",
            "tau_post1_ms",
            "tau_post2_ms",
            "w_max",
            "bin_ms",
        ):
            require_positive(key, getattr(self, key))
        for key in (
            "rest_ms",
            "jitter_ms",
            "delay_ms",
            "refractory_exc_ms",
            "refractory_inh_ms",
            "theta_plus_mv",
            "theta_init_mv",
            "w_exc_inh",
            "w_inh_exc",
            "w_init",
            "nu_pre",
            "nu_post",
            "rate_step_hz",
        ):
            require_nonnegative(key, getattr(self, key))
        if self.input_rate_hz is not None:
            require_positive("input_rate_hz", self.input_rate_hz)
            require(
                self.input_rate_hz * self.dt_ms / 1000.0 <= 1.0,
                "input_rate_hz",
                self.input_rate_hz,
                f"must be <= 1000/dt_ms = {1000.0 / self.dt_ms:g} Hz (at most one spike per step)",
            )
        if self.weight_sum is not None:
            require_positive("weight_sum", self.weight_sum)
        if self.w_inh_exc_test is not None:
            require_nonnegative("w_inh_exc_test", self.w_inh_exc_test)
        for key in ("refractory_exc_ms", "refractory_inh_ms"):
            ref = getattr(self, key)
            require(
                ref == 0 or self.dt_ms <= ref,
                "dt_ms",
                self.dt_ms,
                f"must not exceed {key}={ref:g} ms (a refractory period shorter than a step cannot be honoured)",
            )
        require(
            self.rest_ms >= self.delay_ms,
            "rest_ms",
            self.rest_ms,
            f"must be >= delay_ms={self.delay_ms:g} so that no input event is still in flight when the next "
            "presentation starts",
        )
        require(self.bin_ms >= self.dt_ms, "bin_ms", self.bin_ms, f"must be >= dt_ms={self.dt_ms:g}")
        # (the numba kernel counts the steps of a presentation in int32)
        require(
            (self.presentation_ms + self.rest_ms) / self.dt_ms < 2**30,
            "presentation_ms",
            self.presentation_ms,
            f"with rest_ms={self.rest_ms:g} it spans {(self.presentation_ms + self.rest_ms) / self.dt_ms:.0f} steps "
            f"of dt_ms={self.dt_ms:g}, more than 2**30: shorten it or raise dt_ms",
        )
        require(
            self.v_thresh_exc_mv > self.v_reset_exc_mv - 100,
            "v_thresh_exc_mv",
            self.v_thresh_exc_mv,
            "must be a membrane potential in mV",
        )
        require(
            self.v_thresh_inh_mv > self.v_reset_inh_mv,
            "v_thresh_inh_mv",
            self.v_thresh_inh_mv,
            f"must be above v_reset_inh_mv={self.v_reset_inh_mv:g}",
        )
        require(
            self.device == "cpu" or self.device.startswith("cuda") or self.device == "mps",
            "device",
            self.device,
            "use 'cpu', 'cuda' or 'cuda:N'",
        )

    def _validate_surrogate(self) -> None:
        for key in ("surrogate_slope", "surrogate_epochs", "surrogate_lr", "surrogate_batch_size"):
            require_positive(key, getattr(self, key))
        if self.surrogate_dt_ms is not None:
            require_positive("surrogate_dt_ms", self.surrogate_dt_ms)
            ref = min(r for r in (self.refractory_exc_ms, self.refractory_inh_ms, float("inf")) if r > 0)
            require(
                self.surrogate_dt_ms <= ref,
                "surrogate_dt_ms",
                self.surrogate_dt_ms,
                f"must not exceed the shortest refractory period ({ref:g} ms)",
            )

    def resolved(self, n_inputs: int) -> SNNConfig:
        """This config with the input-size dependent ``None`` fields filled in (see module doc)."""
        rate = self.input_rate_hz
        if rate is None:
            rate = 63.75 if n_inputs >= 784 else 255.0
        total = self.weight_sum
        if total is None:
            total = 78.0 * n_inputs / 784.0 if n_inputs >= 784 else 0.1875 * n_inputs
        return self.replace(input_rate_hz=rate, weight_sum=total)
